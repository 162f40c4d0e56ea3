package dev.jdgram.cli;

import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.RemoteInfo;
import java.io.PrintStream;

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
