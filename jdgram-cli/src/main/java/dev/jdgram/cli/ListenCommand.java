package dev.jdgram.cli;

import dev.jdgram.RemoteInfo;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code jdgram listen [port] [address]}: the seed's example server. Prints {@code server listening
 * <address>:<port>} once bound, then {@code server got: <msg> from <address>:<port>} for every
 * datagram, until stopped.
 *
 * @param port the port to bind, 0 for any
 * @param address the address to bind; an IPv6 literal makes a udp6 socket, anything else udp4
 */
public record ListenCommand(int port, String address) implements Command {
  @Override
  public Execution start(PrintStream out, PrintStream err) {
    return Server.start(
        "server", port, address, out, err, (socket, msg, rinfo) -> print(out, msg, rinfo));
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
      return new ListenCommand(port, address);
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
