package dev.jdgram.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * jdgram's answer to a busy port: N sockets bound to one port with {@code reusePort(true)} (the
 * kernel's {@code SO_REUSEPORT}, which spreads senders over them by source address and port) and
 * {@code ownEventLoop(true)} (each socket on an event-loop thread of its own rather than the one
 * shared loop), so N cores serve the port. Listeners of different sockets run at the same time:
 * what they share must be thread-safe (here, only the output).
 *
 * <pre>
 * java ... dev.jdgram.examples.MultiCoreServer [port [sockets]]     (default 41234, one per core)
 * serving 127.0.0.1:41234 with 2 sockets, each on its own event loop
 * socket 1 on jdgram-epoll-own-1-2 got: hello from 127.0.0.1:50125
 * </pre>
 */
public final class MultiCoreServer implements AutoCloseable {
  private final List<DgramSocket> sockets;
  private final int port;

  private MultiCoreServer(List<DgramSocket> sockets, int port) {
    this.sockets = sockets;
    this.port = port;
  }

  /**
   * Binds {@code count} sockets to {@code port} on 127.0.0.1, each on its own event loop.
   *
   * @param port the port, or 0 for one the system picks (the first socket's, then shared)
   * @param count how many sockets
   * @param out where each socket's lines go; called from several threads at once
   * @return the running server
   * @throws Exception if a bind fails or takes more than 10 s
   */
  public static MultiCoreServer start(int port, int count, Consumer<String> out) throws Exception {
    SocketOptions options = SocketOptions.of("udp4").reusePort(true).ownEventLoop(true);
    List<DgramSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        int index = i;
        DgramSocket socket =
            Dgram.createSocket(
                options,
                (msg, rinfo) ->
                    out.accept(
                        "socket "
                            + index
                            + " on "
                            + Thread.currentThread().getName()
                            + " got: "
                            + new String(msg, UTF_8)
                            + " from "
                            + rinfo.address()
                            + ":"
                            + rinfo.port()));
        sockets.add(socket);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        socket.once(DgramSocket.ERROR, listening::completeExceptionally);
        socket.bind(port, "127.0.0.1", () -> listening.complete(null));
        listening.get(10, TimeUnit.SECONDS);
        port = socket.address().port();
      }
    } catch (Exception e) {
      sockets.forEach(DgramSocket::close);
      throw e;
    }
    out.accept(
        "serving 127.0.0.1:" + port + " with " + count + " sockets, each on its own event loop");
    return new MultiCoreServer(List.copyOf(sockets), port);
  }

  /**
   * Returns the port all the sockets share.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /** Closes every socket. */
  @Override
  public void close() {
    sockets.forEach(DgramSocket::close);
  }

  /**
   * Serves until the JVM is stopped.
   *
   * @param args the port (default 41234) and the number of sockets (default: one per processor)
   * @throws Exception if a bind fails
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 41234;
    int count =
        args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    start(port, count, System.out::println);
  }
}
