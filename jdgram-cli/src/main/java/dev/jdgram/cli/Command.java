package dev.jdgram.cli;

import java.io.PrintStream;

/**
 * One invocation of the {@code jdgram} command, parsed from its arguments but not yet run.
 *
 * <p>Parsing ({@link #fromArgs}) touches no network, so it is tested on its own; running ({@link
 * #start}) creates the socket.
 */
public sealed interface Command
    permits ListenCommand,
        SendCommand,
        EchoCommand,
        MulticastCommand,
        HelpCommand,
        BenchCommand,
        CompletionCommand,
        SoakCommand {
  /** The port that {@code listen} and {@code echo} bind when none is given: the seed's 41234. */
  int DEFAULT_PORT = 41234;

  /** The address that {@code listen} and {@code echo} bind when none is given. */
  String ALL_INTERFACES = "0.0.0.0";

  /** The host that {@code send} sends to when none is given, as in the seed's client. */
  String DEFAULT_HOST = "localhost";

  /**
   * Parses the command line, with one picocli grammar for every command: options ({@code --ttl 5}
   * or {@code --ttl=5}) anywhere after the command's name, {@code --} to end them.
   *
   * @param args the arguments after {@code jdgram}
   * @return what to run; {@link HelpCommand} for no arguments, {@code help}, {@code --help} and
   *     {@code -h}, or a command's own help for {@code <command> --help}
   * @throws UsageException for an unknown command or option, a missing or extra argument, an empty
   *     address, a port that is not a decimal number in range, an option value that is not a
   *     number, an option given twice or a value given to a flag
   */
  static Command fromArgs(String... args) throws UsageException {
    return Grammar.parse(args);
  }

  /**
   * Starts the command: creates and binds its socket, or prints the usage text.
   *
   * <p>Returns at once; the socket's listeners write to {@code out} and {@code err} from the
   * library's event-loop thread.
   *
   * @param out where the command's normal output goes
   * @param err where errors go, one line each
   * @return the running command, to wait for or stop
   */
  Execution start(PrintStream out, PrintStream err);
}
