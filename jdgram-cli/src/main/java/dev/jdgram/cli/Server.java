package dev.jdgram.cli;

import dev.jdgram.AddressInfo;
import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.RemoteInfo;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server shape shared by {@code listen} and {@code echo}, after the seed's example: bind, print
 * {@code <name> listening <address>:<port>}, hand each datagram to a handler, and finish when the
 * socket closes.
 *
 * <p>A bind failure prints one line, {@code jdgram: cannot listen on <address>:<port>: <error>},
 * and exits 1. A later {@code 'error'} prints {@code <name> error: <error>}, closes the socket (as
 * the seed's example does) and exits 1.
 */
final class Server {
  /** What a server does with one datagram; runs on the socket's event-loop thread. */
  @FunctionalInterface
  interface Handler {
    void onMessage(DgramSocket socket, byte[] msg, RemoteInfo rinfo);
  }

  private Server() {}

  static Execution start(
      String name, int port, String address, PrintStream out, PrintStream err, Handler handler) {
    DgramSocket socket = Dgram.createSocket(Addresses.socketType(address));
    CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    AtomicBoolean listening = new AtomicBoolean();
    AtomicBoolean failed = new AtomicBoolean();
    Runnable fail =
        () -> {
          failed.set(true);
          socket.close();
        };

    // Listeners first: the loop thread may fire them before bind() returns (API.md, Threading).
    socket.on(
        DgramSocket.ERROR,
        error -> {
          if (failed.get()) {
            return; // One line per failure, even if the library reports more while closing.
          }
          if (listening.get()) {
            err.println(name + " error: " + ErrorText.describe(error));
          } else {
            err.println(cannotListen(port, address, error));
          }
          fail.run();
        });
    socket.on(
        DgramSocket.LISTENING,
        () -> {
          listening.set(true);
          AddressInfo bound = socket.address();
          out.println(name + " listening " + bound.address() + ":" + bound.port());
        });
    socket.on(DgramSocket.MESSAGE, (msg, rinfo) -> handler.onMessage(socket, msg, rinfo));
    socket.on(DgramSocket.CLOSE, () -> exitCode.complete(failed.get() ? Main.EXIT_ERROR : 0));

    try {
      socket.bind(port, address);
    } catch (DgramException e) {
      // Node throws from bind() only in rare cases; report it like a failed bind.
      err.println(cannotListen(port, address, e));
      fail.run();
    }
    return new Execution(exitCode, socket::close);
  }

  private static String cannotListen(int port, String address, DgramException error) {
    return "jdgram: cannot listen on "
        + Addresses.hostPort(address, port)
        + ": "
        + ErrorText.describe(error);
  }
}
