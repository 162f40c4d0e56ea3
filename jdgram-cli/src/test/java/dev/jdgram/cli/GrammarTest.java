package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one picocli grammar of every command, without a network: both spellings of an option's value,
 * generated help per command, {@code bench} parsed by the same grammar, and the errors in the
 * command's one-line style.
 */
class GrammarTest {
  private static final SendCommand.Options NONE = SendCommand.Options.NONE;

  private static String usageError(String... args) {
    return assertThrows(UsageException.class, () -> Command.fromArgs(args)).getMessage();
  }

  // --x v and --x=v, for every valued option

  @Test
  void everySendOptionTakesItsValueAfterASpaceOrAnEqualsSign() throws UsageException {
    SendCommand expected =
        new SendCommand(
            "hi", 9, "h", NONE.withTtl(2).withMulticastTtl(3).withMulticastInterface("::%lo"));
    assertEquals(
        expected,
        Command.fromArgs(
            "send",
            "hi",
            "9",
            "h",
            "--ttl",
            "2",
            "--multicast-ttl",
            "3",
            "--multicast-interface",
            "::%lo"));
    assertEquals(
        expected,
        Command.fromArgs(
            "send", "hi", "9", "h", "--ttl=2", "--multicast-ttl=3", "--multicast-interface=::%lo"));
  }

  @Test
  void anEqualsSignSplitsOnlyAtTheFirstOne() throws UsageException {
    assertEquals(
        NONE.withMulticastInterface("a=b"),
        ((SendCommand) Command.fromArgs("send", "hi", "9", "--multicast-interface=a=b")).options());
  }

  @Test
  void multicastsIfaceTakesItsValueEitherWay() throws UsageException {
    MulticastCommand expected = new MulticastCommand("239.1.2.3", 9, "eth0");
    assertEquals(expected, Command.fromArgs("multicast", "239.1.2.3", "9", "--iface", "eth0"));
    assertEquals(expected, Command.fromArgs("multicast", "239.1.2.3", "9", "--iface=eth0"));
  }

  @Test
  void anEmptyValueAfterAnEqualsSignIsStillChecked() {
    assertEquals(
        "invalid value '' for '--ttl': not a number", usageError("send", "h", "9", "--ttl="));
    assertEquals(
        "invalid interface '': must not be empty", usageError("multicast", "g", "9", "--iface="));
  }

  @Test
  void aValuedOptionTakesTheNextArgumentEvenIfItLooksLikeAnOption() throws UsageException {
    assertEquals(
        NONE.withMulticastInterface("--broadcast"),
        ((SendCommand) Command.fromArgs("send", "hi", "9", "--multicast-interface", "--broadcast"))
            .options());
  }

  @Test
  void anArgumentStartingWithAnAtSignIsNotAFileToExpand() throws UsageException {
    // picocli would read arguments from the file 'hi'; the message is "@hi".
    assertEquals(new SendCommand("@hi", 9, "localhost"), Command.fromArgs("send", "@hi", "9"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"listen", "echo"})
  void serversRefuseAnUnknownOptionRatherThanTakeItForAPort(String command) {
    assertEquals(
        "unknown option '--port' for '" + command + "'", usageError(command, "--port", "9"));
  }

  @Test
  void serversTakeADoubleDashBeforeTheirArguments() throws UsageException {
    assertEquals(new ListenCommand(9, "::1"), Command.fromArgs("listen", "--", "9", "::1"));
  }

  @Test
  void helpTakesNoOptions() {
    assertEquals("unknown option '--all' for 'help'", usageError("help", "--all"));
  }

  // generated help

  @Test
  void eachCommandHasItsOwnGeneratedHelp() throws UsageException {
    for (String command : List.of("listen", "send", "echo", "multicast", "completion", "bench")) {
      Command help = Command.fromArgs(command, "--help");
      String text = assertInstanceOf(HelpCommand.class, help).text();
      assertTrue(text.startsWith("Usage: jdgram " + command), text);
    }
  }

  @Test
  void sendsHelpListsItsOptionsWithTheirValues() throws UsageException {
    String text = ((HelpCommand) Command.fromArgs("send", "hi", "--help")).text();
    for (String option :
        List.of(
            "<message> <port> [host]",
            "--broadcast",
            "--ttl=N",
            "--multicast-ttl=N",
            "--multicast-interface=ADDR",
            "::%NAME")) {
      assertTrue(text.contains(option), option + " in:\n" + text);
    }
  }

  @Test
  void commandHelpPrintsToStandardOutputAndExitsZero() throws InterruptedException {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    int code = Main.run(out.stream(), err.stream(), "multicast", "--help");

    assertEquals(0, code);
    assertTrue(out.lines().get(0).startsWith("Usage: jdgram multicast"), out.text());
    assertTrue(out.text().contains("--iface=ADDR"), out.text());
    assertEquals(List.of(), err.lines());
  }

  @Test
  void theUsageTextListsTheExitStatusAndCompletion() {
    for (String text :
        List.of(
            "Exit status:",
            "0   success",
            "1   a network error",
            "2   a usage error",
            "completion",
            "'--ttl 5' or '--ttl=5'")) {
      assertTrue(HelpCommand.USAGE.contains(text), text);
    }
  }

  @Test
  void theUsageTextHasNoFormattingLeftOver() {
    assertTrue(HelpCommand.USAGE.contains("::%NAME"), HelpCommand.USAGE);
    assertTrue(!HelpCommand.USAGE.contains("%%") && !HelpCommand.USAGE.contains("\u001b["));
  }

  // bench, parsed by the same grammar

  @Test
  void benchTakesItsOptionsEitherWay() throws UsageException {
    assertEquals(
        new BenchCommand(List.of("--runs=1", "--subjects", "node")),
        Command.fromArgs("bench", "--runs=1", "--subjects", "node"));
  }

  @Test
  void benchsErrorsAreInTheCommandsStyleAndPointToItsHelp() {
    assertEquals(
        "invalid value '0' for '--runs': not a positive integer (see 'jdgram bench --help')",
        usageError("bench", "--runs", "0"));
    assertEquals(
        "option '--runs' given twice (see 'jdgram bench --help')",
        usageError("bench", "--runs", "1", "--runs=2"));
    assertEquals(
        "unknown option '--bogus' for 'bench' (see 'jdgram bench --help')",
        usageError("bench", "--bogus"));
    assertEquals(
        "missing value for '--seconds' (see 'jdgram bench --help')",
        usageError("bench", "--seconds"));
  }

  @Test
  void benchsHelpIsGeneratedFromItsOptions() throws UsageException {
    String text = ((HelpCommand) Command.fromArgs("bench", "-h")).text();
    assertTrue(text.contains("--subjects=SUBJECTS"), text);
    assertTrue(text.contains("comma-separated: jdgram-epoll, jdgram-nio"), text);
  }

  // completion

  @Test
  void completionIsACommand() throws UsageException {
    assertEquals(new CompletionCommand(), Command.fromArgs("completion"));
    assertEquals("unexpected argument 'zsh' for 'completion'", usageError("completion", "zsh"));
  }

  // Positional arguments alone skip picocli; the result and the errors must be picocli's.

  @ParameterizedTest
  @ValueSource(
      strings = {
        "send hi 41234 127.0.0.1",
        "send hi 41234",
        "send h\u00e9llo 1 ::1",
        "send hi",
        "send",
        "send hi 0",
        "send hi 65536",
        "send hi 08",
        "send hi 9 h extra",
        "send @home 9",
        "send a=b 9",
        "listen",
        "listen 0",
        "listen 41234 127.0.0.1",
        "listen x",
        "listen 1 h extra",
        "echo 0 ::1",
        "echo 70000",
        "multicast 239.1.2.3 0",
        "multicast 239.1.2.3",
        "multicast 239.1.2.3 0 127.0.0.1 extra"
      })
  void positionalArgumentsAloneParseAsPicocliParsesThem(String line) {
    String[] args = line.split(" ");
    assertEquals(
        outcome(() -> Grammar.parseWithPicocli(args)), outcome(() -> Command.fromArgs(args)));
  }

  private interface Parse {
    Command run() throws UsageException;
  }

  /** The command parsed, or the usage error's message. */
  private static Object outcome(Parse parse) {
    try {
      return parse.run();
    } catch (UsageException e) {
      return "usage: " + e.getMessage();
    }
  }
}
