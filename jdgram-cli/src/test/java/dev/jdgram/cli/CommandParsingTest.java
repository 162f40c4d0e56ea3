package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    for (String command : List.of("listen [port] [address]", "send <message> <port> [host]")) {
      assertTrue(HelpCommand.USAGE.contains(command), command);
    }
    assertTrue(HelpCommand.USAGE.contains("echo [port] [address]"));
    assertTrue(HelpCommand.USAGE.contains("help"));
  }

  // listen

  @Test
  void listenDefaultsToTheSeedsPortOnAllInterfaces() throws UsageException {
    assertEquals(new ListenCommand(41234, "0.0.0.0"), Command.fromArgs("listen"));
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
  void helpPrintsTheUsageToStandardOutputAndExitsZero() throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    int code = Main.run(out.stream(), err.stream(), "help");

    assertEquals(0, code);
    assertEquals(HelpCommand.USAGE + "\n", out.text().replace(System.lineSeparator(), "\n"));
    assertEquals(List.of(), err.lines());
  }
}
