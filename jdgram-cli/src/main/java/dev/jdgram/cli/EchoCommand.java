package dev.jdgram.cli;

import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.RemoteInfo;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code jdgram echo [port] [address]}: an echo server. Prints {@code echo listening
 * <address>:<port>} once bound, then sends every datagram back to its sender, until stopped. A
 * failed echo is reported on the error stream and the server carries on.
 *
 * @param port the port to bind, 0 for any
 * @param address the address to bind; an IPv6 literal makes a udp6 socket, anything else udp4
 */
public record EchoCommand(int port, String address) implements Command {
  @Override
  public Execution start(PrintStream out, PrintStream err) {
    return Server.start(
        "echo", port, address, out, err, (socket, msg, rinfo) -> echo(socket, msg, rinfo, err));
  }

  /** {@code echo}'s command line. */
  @CommandLine.Command(
      name = "echo",
      description =
          "Send every datagram received back to its sender. Defaults as for listen. Runs until"
              + " interrupted.")
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
      Arguments.expectAtMost("echo", operands, 2);
      int port = operands.isEmpty() ? DEFAULT_PORT : Arguments.parsePort(operands.get(0), 0);
      String address =
          operands.size() < 2 ? ALL_INTERFACES : Arguments.nonEmpty("address", operands.get(1));
      return new EchoCommand(port, address);
    }
  }

  private static void echo(DgramSocket socket, byte[] msg, RemoteInfo rinfo, PrintStream err) {
    String to = Addresses.hostPort(rinfo.address(), rinfo.port());
    try {
      // The array is ours (API.md) and nothing changes it while the send is pending.
      socket.send(
          msg,
          rinfo.port(),
          rinfo.address(),
          (error, bytes) -> {
            if (error != null) {
              err.println("echo error: cannot send to " + to + ": " + ErrorText.describe(error));
            }
          });
    } catch (DgramException e) {
      // Thrown when the socket is closing under us: a failed echo fails that echo only.
      err.println("echo error: cannot send to " + to + ": " + ErrorText.describe(e));
    }
  }
}
