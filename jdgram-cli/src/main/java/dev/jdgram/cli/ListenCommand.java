package dev.jdgram.cli;

import dev.jdgram.RemoteInfo;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code jdgram listen [--stats] [--quiet] [port] [address]}: the seed's example server. Prints
 * {@code server listening <address>:<port>} once bound, then {@code server got: <msg> from
 * <address>:<port>} for every datagram (not with {@code --quiet}), until stopped. With {@code
 * --stats} it also prints, once a second, what arrived and what was lost: {@code stats: received
 * <n>/s, dropped <n>/s (kernel <n>, block list <n>); total received <n>, dropped <n>}, from the
 * socket's {@code stats()}.
 *
 * @param port the port to bind, 0 for any
 * @param address the address to bind; an IPv6 literal makes a udp6 socket, anything else udp4
 * @param stats whether to print a stats line every second
 * @param quiet whether to leave out the line per datagram
 */
public record ListenCommand(int port, String address, boolean stats, boolean quiet)
    implements Command {
  /** The seed's server: a line per datagram, no stats. */
  public ListenCommand(int port, String address) {
    this(port, address, false, false);
  }

  @Override
  public Execution start(PrintStream out, PrintStream err) {
    Server.Handler handler =
        quiet ? (socket, msg, rinfo) -> {} : (s, msg, rinfo) -> print(out, msg, rinfo);
    Execution execution = Server.start("server", port, address, out, err, handler);
    if (!stats) {
      return execution;
    }
    StatsPrinter printer = new StatsPrinter(execution.socket(), out);
    return execution.alsoOnFinish(printer.start());
  }

  /** {@code listen}'s command line. */
  @CommandLine.Command(
      name = "listen",
      description =
          "Print every datagram received, as the seed's example server does. Port defaults to"
              + " 41234, address to all IPv4 interfaces (an IPv6 literal listens with udp6). Runs"
              + " until interrupted.")
  static final class Args implements Grammar.Parsed, Grammar.HasOperands {
    @CommandLine.Mixin Grammar.HelpOption help;

    @CommandLine.Option(
        names = "--stats",
        preprocessor = Grammar.NoValue.class,
        description = "print received/s, dropped/s and totals once a second (stats())")
    boolean stats;

    @CommandLine.Option(
        names = "--quiet",
        preprocessor = Grammar.NoValue.class,
        description = "do not print a line per datagram")
    boolean quiet;

    @CommandLine.Parameters(
        paramLabel = "[port] [address]",
        hideParamSyntax = true,
        preprocessor = Grammar.Operands.class,
        description =
            "the port (default 41234; 0 for any free port) and the address to bind"
                + " (default 0.0.0.0)")
    List<String> operands = new ArrayList<>();

    @Override
    public List<String> operands() {
      return operands;
    }

    @Override
    public Command toCommand() throws UsageException {
      Arguments.expectAtMost("listen", operands, 2);
      int port = operands.isEmpty() ? DEFAULT_PORT : Arguments.parsePort(operands.get(0), 0);
      String address =
          operands.size() < 2 ? ALL_INTERFACES : Arguments.nonEmpty("address", operands.get(1));
      return new ListenCommand(port, address, stats, quiet);
    }
  }

  /** Prints one datagram as the seed's example server does; {@code multicast} prints the same. */
  static void print(PrintStream out, byte[] msg, RemoteInfo rinfo) {
    out.println(
        "server got: "
            + new String(msg, StandardCharsets.UTF_8)
            + " from "
            + rinfo.address()
            + ":"
            + rinfo.port());
  }
}
