package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.SocketStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of the command line, without a network: {@link Command#fromArgs} and usage output. */
class CommandParsingTest {

  private static String usageError(String... args) {
    return assertThrows(UsageException.class, () -> Command.fromArgs(args)).getMessage();
  }

  // help

  @Test
  void noArgumentsIsHelp() throws UsageException {
    assertEquals(new HelpCommand(), Command.fromArgs());
  }

  @ParameterizedTest
  @ValueSource(strings = {"help", "--help", "-h"})
  void helpHasThreeSpellings(String spelling) throws UsageException {
    assertEquals(new HelpCommand(), Command.fromArgs(spelling));
  }

  @Test
  void helpWithAnArgumentIsAUsageError() {
    assertEquals("unexpected argument 'listen' for 'help'", usageError("help", "listen"));
  }

  @Test
  void usageTextListsEveryCommand() {
    for (String command :
        List.of(
            "listen [port] [address]",
            "send <message> <port> [host]",
            "echo [port] [address]",
            "multicast <group> <port>",
            "help")) {
      assertTrue(HelpCommand.USAGE.contains(command), command);
    }
  }

  @Test
  void usageTextListsEveryOption() {
    for (String option :
        List.of(
            "--broadcast",
            "--ttl N",
            "--multicast-ttl N",
            "--multicast-interface ADDR",
            "--iface ADDR")) {
      assertTrue(HelpCommand.USAGE.contains(option), option);
    }
  }

  // listen

  @Test
  void listenDefaultsToTheSeedsPortOnAllInterfaces() throws UsageException {
    assertEquals(new ListenCommand(41234, "0.0.0.0"), Command.fromArgs("listen"));
  }

  @Test
  void listenTakesStatsAndQuietFlags() throws UsageException {
    assertEquals(
        new ListenCommand(5000, "0.0.0.0", true, true),
        Command.fromArgs("listen", "--stats", "5000", "--quiet"));
    assertEquals(
        new ListenCommand(41234, "0.0.0.0", true, false), Command.fromArgs("listen", "--stats"));
  }

  @Test
  void statsLineShowsTheSecondsRatesAndTheTotals() {
    SocketStats before = new SocketStats(10, 640, 0, 0, 0, 0, 0, 1, 5);
    SocketStats now = new SocketStats(110, 6400, 0, 0, 0, 0, 0, 3, 25);
    assertEquals(
        "stats: received 100/s, dropped 22/s (kernel 20, block list 2); total received 110,"
            + " dropped 28",
        StatsPrinter.line(before, now));
  }

  @Test
  void listenTakesAPort() throws UsageException {
    assertEquals(new ListenCommand(5000, "0.0.0.0"), Command.fromArgs("listen", "5000"));
  }

  @Test
  void listenTakesAPortAndAnAddress() throws UsageException {
    assertEquals(new ListenCommand(5000, "::1"), Command.fromArgs("listen", "5000", "::1"));
  }

  @Test
  void listenAcceptsPortZeroForAnyFreePort() throws UsageException {
    assertEquals(new ListenCommand(0, "127.0.0.1"), Command.fromArgs("listen", "0", "127.0.0.1"));
  }

  @Test
  void listenAcceptsTheHighestPort() throws UsageException {
    assertEquals(new ListenCommand(65535, "0.0.0.0"), Command.fromArgs("listen", "65535"));
  }

  @Test
  void listenWithThreeArgumentsIsAUsageError() {
    assertEquals(
        "unexpected argument 'x' for 'listen'", usageError("listen", "1", "127.0.0.1", "x"));
  }

  @Test
  void listenWithAnEmptyAddressIsAUsageError() {
    assertEquals("invalid address '': must not be empty", usageError("listen", "1", ""));
  }

  // echo

  @Test
  void echoDefaultsToTheSeedsPortOnAllInterfaces() throws UsageException {
    assertEquals(new EchoCommand(41234, "0.0.0.0"), Command.fromArgs("echo"));
  }

  @Test
  void echoTakesAPortAndAnAddress() throws UsageException {
    assertEquals(new EchoCommand(7, "127.0.0.1"), Command.fromArgs("echo", "7", "127.0.0.1"));
  }

  @Test
  void echoWithThreeArgumentsIsAUsageError() {
    assertEquals("unexpected argument 'x' for 'echo'", usageError("echo", "1", "::", "x"));
  }

  // send

  @Test
  void sendDefaultsTheHostToLocalhost() throws UsageException {
    assertEquals(
        new SendCommand("hi", 41234, "localhost"), Command.fromArgs("send", "hi", "41234"));
  }

  @Test
  void sendTakesAHost() throws UsageException {
    assertEquals(
        new SendCommand("hi there", 9, "example.com"),
        Command.fromArgs("send", "hi there", "9", "example.com"));
  }

  @Test
  void sendKeepsAnEmptyMessage() throws UsageException {
    assertEquals(new SendCommand("", 9, "localhost"), Command.fromArgs("send", "", "9"));
  }

  @Test
  void sendWithoutArgumentsIsAUsageError() {
    assertEquals("missing <message> and <port> for 'send'", usageError("send"));
  }

  @Test
  void sendWithoutAPortIsAUsageError() {
    assertEquals("missing <port> for 'send'", usageError("send", "hi"));
  }

  @Test
  void sendToPortZeroIsAUsageErrorAsInNode() {
    // Node's send() throws ERR_SOCKET_BAD_PORT for port 0; only bind() takes it.
    assertEquals("invalid port '0': must be 1 to 65535", usageError("send", "hi", "0"));
  }

  @Test
  void sendWithFourArgumentsIsAUsageError() {
    assertEquals(
        "unexpected argument 'extra' for 'send'", usageError("send", "hi", "9", "h", "extra"));
  }

  @Test
  void sendWithAnEmptyHostIsAUsageError() {
    assertEquals("invalid host '': must not be empty", usageError("send", "hi", "9", ""));
  }

  // send's options

  private static final SendCommand.Options NONE = SendCommand.Options.NONE;

  @Test
  void sendWithoutOptionsSetsNone() throws UsageException {
    assertEquals(NONE, ((SendCommand) Command.fromArgs("send", "hi", "9")).options());
  }

  @Test
  void sendTakesBroadcast() throws UsageException {
    assertEquals(
        new SendCommand("hi", 9, "h", NONE.withBroadcast()),
        Command.fromArgs("send", "hi", "9", "h", "--broadcast"));
  }

  @Test
  void sendTakesTtl() throws UsageException {
    assertEquals(
        new SendCommand("hi", 9, "h", NONE.withTtl(64)),
        Command.fromArgs("send", "hi", "9", "h", "--ttl", "64"));
  }

  @Test
  void sendTakesMulticastTtl() throws UsageException {
    assertEquals(
        new SendCommand("hi", 9, "239.1.2.3", NONE.withMulticastTtl(1)),
        Command.fromArgs("send", "hi", "9", "239.1.2.3", "--multicast-ttl", "1"));
  }

  @Test
  void sendTakesMulticastInterface() throws UsageException {
    assertEquals(
        new SendCommand("hi", 9, "239.1.2.3", NONE.withMulticastInterface("127.0.0.1")),
        Command.fromArgs("send", "hi", "9", "239.1.2.3", "--multicast-interface", "127.0.0.1"));
  }

  @Test
  void sendTakesEveryOptionAtOnce() throws UsageException {
    assertEquals(
        new SendCommand(
            "hi",
            9,
            "h",
            NONE.withBroadcast().withTtl(2).withMulticastTtl(3).withMulticastInterface("::%lo")),
        Command.fromArgs(
            "send",
            "--multicast-ttl",
            "3",
            "hi",
            "--broadcast",
            "9",
            "--multicast-interface",
            "::%lo",
            "h",
            "--ttl",
            "2"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void sendOptionsMayComeAnywhereAfterSend(int at) throws UsageException {
    List<String> args = new ArrayList<>(List.of("hi", "9", "h"));
    args.addAll(at, List.of("--ttl", "7"));
    args.add(0, "send");
    assertEquals(
        new SendCommand("hi", 9, "h", NONE.withTtl(7)),
        Command.fromArgs(args.toArray(String[]::new)));
  }

  @Test
  void sendOptionsTakeTheirValueAfterAnEqualsSign() throws UsageException {
    assertEquals(
        new SendCommand("hi", 9, "h", NONE.withTtl(7).withMulticastInterface("127.0.0.1")),
        Command.fromArgs("send", "--ttl=7", "hi", "9", "h", "--multicast-interface=127.0.0.1"));
  }

  @Test
  void sendOptionsWithoutAHostKeepTheDefaultHost() throws UsageException {
    assertEquals(
        new SendCommand("hi", 9, "localhost", NONE.withBroadcast()),
        Command.fromArgs("send", "hi", "9", "--broadcast"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "256", "-1", "1000", "2147483647", "-2147483648", "007"})
  void aTtlThatIsANumberIsLeftToTheLibraryToCheck(String ttl) throws UsageException {
    // Node's setTTL and setMulticastTTL throw EINVAL out of range; the command shows that error.
    int value = Integer.parseInt(ttl);
    assertEquals(NONE.withTtl(value), sendOptions("--ttl", ttl));
    assertEquals(NONE.withMulticastTtl(value), sendOptions("--multicast-ttl", ttl));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", "1.5", "0x10", "+5", " 5", "5 ", "--", "٣", "1e2"})
  void aTtlThatIsNotADecimalNumberIsAUsageError(String ttl) {
    for (String option : List.of("--ttl", "--multicast-ttl")) {
      assertEquals(
          "invalid value '" + ttl + "' for '" + option + "': not a number",
          usageError("send", "hi", "9", option, ttl));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2147483648", "-2147483649", "99999999999999999999"})
  void aTtlTooLargeForAnIntIsAUsageError(String ttl) {
    // The library's setTTL takes an int, so these cannot reach it.
    assertEquals(
        "invalid value '" + ttl + "' for '--ttl': not a 32-bit integer",
        usageError("send", "hi", "9", "--ttl", ttl));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--ttl", "--multicast-ttl", "--multicast-interface"})
  void aValuedOptionAtTheEndWithoutAValueIsAUsageError(String option) {
    assertEquals("missing value for '" + option + "'", usageError("send", "hi", "9", option));
  }

  @Test
  void anEmptyMulticastInterfaceIsAUsageError() {
    assertEquals(
        "invalid multicast interface '': must not be empty",
        usageError("send", "hi", "9", "--multicast-interface", ""));
  }

  @Test
  void broadcastTakesNoValue() {
    assertEquals(
        "option '--broadcast' takes no value", usageError("send", "hi", "9", "--broadcast=yes"));
  }

  @Test
  void anOptionGivenTwiceIsAUsageError() {
    assertEquals(
        "option '--ttl' given twice", usageError("send", "hi", "9", "--ttl", "1", "--ttl=2"));
    assertEquals(
        "option '--broadcast' given twice",
        usageError("send", "--broadcast", "hi", "9", "--broadcast"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--bogus", "--iface", "--TTL", "--ttl5", "---ttl"})
  void anUnknownSendOptionIsAUsageError(String option) {
    assertEquals(
        "unknown option '" + option + "' for 'send'", usageError("send", "hi", "9", option));
  }

  @Test
  void optionsDoNotCountAsArguments() {
    assertEquals(
        "unexpected argument 'extra' for 'send'",
        usageError("send", "--broadcast", "hi", "9", "h", "--ttl", "3", "extra"));
    assertEquals("missing <port> for 'send'", usageError("send", "--ttl", "3", "hi"));
    assertEquals("missing <message> and <port> for 'send'", usageError("send", "--broadcast"));
  }

  @Test
  void aDoubleDashEndsTheOptionsSoAMessageMayStartWithDashes() throws UsageException {
    assertEquals(
        new SendCommand("--broadcast", 9, "h", NONE.withTtl(4)),
        Command.fromArgs("send", "--ttl", "4", "--", "--broadcast", "9", "h"));
    assertEquals(new SendCommand("--", 9, "localhost"), Command.fromArgs("send", "--", "--", "9"));
  }

  @Test
  void aSingleDashArgumentIsNotAnOption() throws UsageException {
    assertEquals(new SendCommand("-v", 9, "localhost"), Command.fromArgs("send", "-v", "9"));
  }

  private static SendCommand.Options sendOptions(String... options) throws UsageException {
    List<String> args = new ArrayList<>(List.of("send", "hi", "9"));
    args.addAll(List.of(options));
    return ((SendCommand) Command.fromArgs(args.toArray(String[]::new))).options();
  }

  // multicast

  @Test
  void multicastTakesAGroupAndAPort() throws UsageException {
    assertEquals(
        new MulticastCommand("239.1.2.3", 41234, null),
        Command.fromArgs("multicast", "239.1.2.3", "41234"));
  }

  @Test
  void multicastTakesAnInterfaceAnywhere() throws UsageException {
    MulticastCommand expected = new MulticastCommand("239.1.2.3", 5000, "127.0.0.1");
    assertEquals(
        expected, Command.fromArgs("multicast", "239.1.2.3", "5000", "--iface", "127.0.0.1"));
    assertEquals(
        expected, Command.fromArgs("multicast", "--iface", "127.0.0.1", "239.1.2.3", "5000"));
    assertEquals(expected, Command.fromArgs("multicast", "239.1.2.3", "--iface=127.0.0.1", "5000"));
  }

  @Test
  void multicastAcceptsPortZeroAndAnIpv6Group() throws UsageException {
    assertEquals(
        new MulticastCommand("ff02::1:3", 0, "eth0"),
        Command.fromArgs("multicast", "ff02::1:3", "0", "--iface", "eth0"));
  }

  @Test
  void multicastLeavesTheGroupToTheLibraryToCheck() throws UsageException {
    // Node's addMembership says EINVAL for a group that is not multicast; the command shows it.
    assertEquals(
        new MulticastCommand("10.0.0.1", 9, null), Command.fromArgs("multicast", "10.0.0.1", "9"));
    assertEquals(
        new MulticastCommand("example.com", 9, null),
        Command.fromArgs("multicast", "example.com", "9"));
  }

  @Test
  void anIpv6GroupTakesABareInterfaceNameAsTheScopeOfAny() {
    assertEquals("::%eth0", new MulticastCommand("ff02::1:3", 9, "eth0").membershipInterface());
    assertEquals("::%2", new MulticastCommand("ff02::1:3", 9, "2").membershipInterface());
    assertEquals("::%lo", new MulticastCommand("ff02::1:3", 9, "%lo").membershipInterface());
    assertEquals("::%lo", new MulticastCommand("ff02::1:3", 9, "::%lo").membershipInterface());
    assertEquals(
        "fe80::1%eth0", new MulticastCommand("ff02::1:3", 9, "fe80::1%eth0").membershipInterface());
  }

  @Test
  void anIpv4GroupTakesTheInterfaceAsGiven() {
    assertEquals(
        "127.0.0.1", new MulticastCommand("239.1.2.3", 9, "127.0.0.1").membershipInterface());
    assertEquals("eth0", new MulticastCommand("239.1.2.3", 9, "eth0").membershipInterface());
    assertEquals(null, new MulticastCommand("ff02::1:3", 9, null).membershipInterface());
  }

  @Test
  void multicastWithoutArgumentsIsAUsageError() {
    assertEquals("missing <group> and <port> for 'multicast'", usageError("multicast"));
  }

  @Test
  void multicastWithoutAPortIsAUsageError() {
    assertEquals("missing <port> for 'multicast'", usageError("multicast", "239.1.2.3"));
    assertEquals(
        "missing <port> for 'multicast'",
        usageError("multicast", "239.1.2.3", "--iface", "127.0.0.1"));
  }

  @Test
  void multicastWithThreeArgumentsIsAUsageError() {
    assertEquals(
        "unexpected argument '127.0.0.1' for 'multicast'",
        usageError("multicast", "239.1.2.3", "9", "127.0.0.1"));
  }

  @Test
  void multicastWithAnEmptyGroupIsAUsageError() {
    assertEquals("invalid group '': must not be empty", usageError("multicast", "", "9"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "65536", ""})
  void multicastWithABadPortIsAUsageError(String port) {
    assertTrue(
        usageError("multicast", "239.1.2.3", port).startsWith("invalid port '" + port + "': "));
  }

  @Test
  void multicastWithAnEmptyOrMissingInterfaceIsAUsageError() {
    assertEquals(
        "invalid interface '': must not be empty",
        usageError("multicast", "239.1.2.3", "9", "--iface", ""));
    assertEquals(
        "missing value for '--iface'", usageError("multicast", "239.1.2.3", "9", "--iface"));
  }

  @Test
  void multicastWithTwoInterfacesIsAUsageError() {
    assertEquals(
        "option '--iface' given twice",
        usageError("multicast", "239.1.2.3", "9", "--iface", "a", "--iface", "b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--ttl", "--broadcast", "--interface", "--multicast-interface"})
  void multicastTakesOnlyIface(String option) {
    assertEquals(
        "unknown option '" + option + "' for 'multicast'",
        usageError("multicast", "239.1.2.3", "9", option, "x"));
  }

  // ports and commands

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "+5", "4.5", "0x10", " 80", "", "٣"})
  void aPortThatIsNotADecimalNumberIsAUsageError(String port) {
    assertEquals("invalid port '" + port + "': not a number", usageError("listen", port));
    assertEquals("invalid port '" + port + "': not a number", usageError("send", "m", port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"65536", "99999", "100000", "99999999999999999999"})
  void aPortAbove65535IsAUsageError(String port) {
    assertEquals("invalid port '" + port + "': must be 0 to 65535", usageError("echo", port));
    assertEquals("invalid port '" + port + "': must be 1 to 65535", usageError("send", "m", port));
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertEquals("unknown command 'lisen'", usageError("lisen"));
  }

  @Test
  void commandNamesAreCaseSensitive() {
    assertEquals("unknown command 'LISTEN'", usageError("LISTEN"));
  }

  // what Main prints for them, still without a network

  @Test
  void aUsageErrorPrintsOneLineAndAPointerToHelpAndExitsTwo() throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    int code = Main.run(out.stream(), err.stream(), "listen", "http");

    assertEquals(2, code);
    assertEquals(
        List.of("jdgram: invalid port 'http': not a number", "Run 'jdgram help' for usage."),
        err.lines());
    assertEquals(List.of(), out.lines());
  }

  @Test
  void anUnknownCommandPrintsOneLineAndAPointerToHelpAndExitsTwo() throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    int code = Main.run(out.stream(), err.stream(), "frobnicate");

    assertEquals(2, code);
    assertEquals(
        List.of("jdgram: unknown command 'frobnicate'", "Run 'jdgram help' for usage."),
        err.lines());
  }

  @Test
  void aBadOptionValuePrintsOneLineAndExitsTwo() throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    int code = Main.run(out.stream(), err.stream(), "send", "hi", "9", "--ttl", "many");

    assertEquals(2, code);
    assertEquals(
        List.of(
            "jdgram: invalid value 'many' for '--ttl': not a number",
            "Run 'jdgram help' for usage."),
        err.lines());
    assertEquals(List.of(), out.lines());
  }

  @Test
  void aMulticastUsageErrorPrintsOneLineAndExitsTwo() throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    int code = Main.run(out.stream(), err.stream(), "multicast", "239.1.2.3");

    assertEquals(2, code);
    assertEquals(
        List.of("jdgram: missing <port> for 'multicast'", "Run 'jdgram help' for usage."),
        err.lines());
    assertEquals(List.of(), out.lines());
  }

  @Test
  void helpPrintsTheUsageToStandardOutputAndExitsZero() throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    int code = Main.run(out.stream(), err.stream(), "help");

    assertEquals(0, code);
    assertEquals(HelpCommand.USAGE + "\n", out.text().replace(System.lineSeparator(), "\n"));
    assertEquals(List.of(), err.lines());
  }

  // soak

  @Test
  void soakDefaultsToSixtySecondsSampledEveryFiveIntoTheCurrentDirectory() throws UsageException {
    assertEquals(new SoakCommand(60, 5, Path.of(".")), Command.fromArgs("soak"));
  }

  @Test
  void soakTakesSecondsSampleEveryAndOut() throws UsageException {
    assertEquals(
        new SoakCommand(600, 10, Path.of("docs/soak")),
        Command.fromArgs("soak", "--seconds", "600", "--sample-every=10", "--out", "docs/soak"));
  }

  @Test
  void soakForLessThanASecondIsAUsageError() {
    assertEquals("--seconds must be at least 1, not 0", usageError("soak", "--seconds", "0"));
  }

  @Test
  void soakSamplingLessOftenThanItRunsIsAUsageError() {
    assertEquals(
        "--sample-every must be from 1 to --seconds (10), not 11",
        usageError("soak", "--seconds", "10", "--sample-every", "11"));
    assertEquals(
        "--sample-every must be from 1 to --seconds (60), not 0",
        usageError("soak", "--sample-every", "0"));
  }

  @Test
  void soakTakesNoArguments() {
    assertEquals("unexpected argument '5' for 'soak'", usageError("soak", "5"));
  }

  @Test
  void soakWithAnEmptyOutIsAUsageError() {
    assertTrue(usageError("soak", "--out=").contains("must not be empty"));
  }
}
