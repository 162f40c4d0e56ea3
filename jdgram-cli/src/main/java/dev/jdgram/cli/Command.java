package dev.jdgram.cli;

import static dev.jdgram.cli.Arguments.expectAtMost;
import static dev.jdgram.cli.Arguments.nonEmpty;
import static dev.jdgram.cli.Arguments.parsePort;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * One invocation of the {@code jdgram} command, parsed from its arguments but not yet run.
 *
 * <p>Parsing ({@link #fromArgs}) touches no network, so it is tested on its own; running ({@link
 * #start}) creates the socket.
 */
public sealed interface Command
    permits ListenCommand, SendCommand, EchoCommand, MulticastCommand, HelpCommand, BenchCommand {
  /** The port that {@code listen} and {@code echo} bind when none is given: the seed's 41234. */
  int DEFAULT_PORT = 41234;

  /** The address that {@code listen} and {@code echo} bind when none is given. */
  String ALL_INTERFACES = "0.0.0.0";

  /** The host that {@code send} sends to when none is given, as in the seed's client. */
  String DEFAULT_HOST = "localhost";

  /**
   * Parses the command line.
   *
   * @param args the arguments after {@code jdgram}
   * @return what to run; {@link HelpCommand} for no arguments, {@code help}, {@code --help} and
   *     {@code -h}
   * @throws UsageException for an unknown command or option, a missing or extra argument, an empty
   *     address, a port that is not a decimal number in range, or an option value that is not a
   *     number
   */
  static Command fromArgs(String... args) throws UsageException {
    if (args.length == 0) {
      return new HelpCommand();
    }
    String name = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (name) {
      case "help", "--help", "-h" -> {
        expectAtMost(name, rest, 0);
        return new HelpCommand();
      }
      case "listen", "echo" -> {
        expectAtMost(name, rest, 2);
        int port = rest.isEmpty() ? DEFAULT_PORT : parsePort(rest.get(0), 0);
        String address = rest.size() < 2 ? ALL_INTERFACES : nonEmpty("address", rest.get(1));
        return name.equals("listen")
            ? new ListenCommand(port, address)
            : new EchoCommand(port, address);
      }
      case "send" -> {
        return SendCommand.parse(rest);
      }
      case "multicast" -> {
        return MulticastCommand.parse(rest);
      }
      case "bench" -> {
        return BenchCommand.parse(rest);
      }
      default -> throw new UsageException("unknown command '" + name + "'");
    }
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
