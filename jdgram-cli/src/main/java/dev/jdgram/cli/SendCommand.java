package dev.jdgram.cli;

import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code jdgram send <message> <port> [host]}: the seed's client. Sends {@code message} as one
 * UTF-8 datagram and closes the socket in the send callback; exits 0 once the datagram is handed to
 * the kernel, or prints {@code jdgram: cannot send to <host>:<port>: <error>} and exits 1.
 *
 * @param message the datagram's text
 * @param port the destination port, 1 to 65535
 * @param host the destination host name or address; an IPv6 literal makes a udp6 socket
 */
public record SendCommand(String message, int port, String host) implements Command {
  @Override
  public Execution start(PrintStream out, PrintStream err) {
    DgramSocket socket = Dgram.createSocket(Addresses.socketType(host));
    CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    AtomicBoolean failed = new AtomicBoolean();

    socket.on(
        DgramSocket.ERROR,
        error -> {
          // With a send callback the library reports send errors there; this is the implicit
          // bind, or anything else that goes wrong with the socket itself.
          fail(socket, failed, err, error);
        });
    socket.on(DgramSocket.CLOSE, () -> exitCode.complete(failed.get() ? Main.EXIT_ERROR : 0));
    try {
      socket.send(
          message,
          port,
          host,
          (error, bytes) -> {
            if (error != null) {
              fail(socket, failed, err, error);
            } else {
              socket.close();
            }
          });
    } catch (DgramException e) {
      fail(socket, failed, err, e);
    }
    return new Execution(exitCode, socket::close);
  }

  /** Reports the first failure in one line and closes the socket. */
  private void fail(
      DgramSocket socket, AtomicBoolean failed, PrintStream err, DgramException error) {
    if (failed.compareAndSet(false, true)) {
      err.println(
          "jdgram: cannot send to "
              + Addresses.hostPort(host, port)
              + ": "
              + ErrorText.describe(error));
    }
    socket.close();
  }
}
