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
 * The server shape shared by {@code listen}, {@code echo} and {@code multicast}, after the seed's
 * example: bind, run the {@link Setup} (such as joining a group), print {@code <name> listening
 * <address>:<port>} (and what the setup adds), hand each datagram to a handler, and finish when the
 * socket closes.
 *
 * <p>A bind failure prints one line, {@code jdgram: cannot listen on <address>:<port>: <error>},
 * and exits 1; so does a failed setup, with its own line. A later {@code 'error'} prints {@code
 * <name> error: <error>}, closes the socket (as the seed's example does) and exits 1.
 */
final class Server {
  /** What a server does with one datagram; runs on the socket's event-loop thread. */
  @FunctionalInterface
  interface Handler {
    void onMessage(DgramSocket socket, byte[] msg, RemoteInfo rinfo);
  }

  /** What a server does once bound, before it reports itself; runs on the event-loop thread. */
  @FunctionalInterface
  interface Setup {
    /** Nothing to do. */
    Setup NONE = socket -> "";

    /**
     * Prepares the bound socket.
     *
     * @return text to append to the listening line, such as {@code ", joined <group>"}
     * @throws SetupException to fail the server with one line
     */
    String run(DgramSocket socket) throws SetupException;
  }

  /** A failed {@link Setup}: its message is the line to print, without {@code jdgram: }. */
  static final class SetupException extends Exception {
    private static final long serialVersionUID = 1L;

    SetupException(String message) {
      super(message);
    }
  }

  private Server() {}

  static Execution start(
      String name, int port, String address, PrintStream out, PrintStream err, Handler handler) {
    return start(
        name,
        Dgram.createSocket(Addresses.socketType(address)),
        port,
        address,
        Setup.NONE,
        out,
        err,
        handler);
  }

  /**
   * Starts a server on {@code socket}, which must be new: binds it to {@code address} and {@code
   * port}, then runs {@code setup}.
   */
  static Execution start(
      String name,
      DgramSocket socket,
      int port,
      String address,
      Setup setup,
      PrintStream out,
      PrintStream err,
      Handler handler) {
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
          String suffix;
          try {
            suffix = setup.run(socket);
          } catch (SetupException e) {
            err.println("jdgram: " + e.getMessage());
            fail.run();
            return;
          }
          listening.set(true);
          AddressInfo bound = socket.address();
          out.println(name + " listening " + bound.address() + ":" + bound.port() + suffix);
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
    return new Execution(exitCode, socket::close, socket);
  }

  private static String cannotListen(int port, String address, DgramException error) {
    return "jdgram: cannot listen on "
        + Addresses.hostPort(address, port)
        + ": "
        + ErrorText.describe(error);
  }
}
