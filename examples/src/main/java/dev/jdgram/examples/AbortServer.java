package dev.jdgram.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jdgram.AbortController;
import dev.jdgram.AddressInfo;
import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketOptions;
import java.util.function.Consumer;

/**
 * Node's {@code createSocket({ type: 'udp4', signal })} example: {@code controller.abort()} closes
 * the server as {@code close()} would. Here the abort comes when the datagram {@code stop} arrives;
 * any thread holding the controller could call it.
 *
 * <pre>
 * java ... dev.jdgram.examples.AbortServer [port]     (default 41234)
 * server listening 0.0.0.0:41234
 * server got: stop from 127.0.0.1:40117
 * server closed: its AbortSignal aborted
 * </pre>
 *
 * <p>Send it {@code stop}, e.g. with {@code jdgram-cli/bin/jdgram send stop 41234}; once closed,
 * nothing keeps the JVM running and it exits.
 */
public final class AbortServer {
  private AbortServer() {}

  /**
   * Creates a server whose socket closes when {@code controller} aborts, aborting it itself on
   * {@code stop}, and binds it to {@code port}.
   *
   * @param port the port, or 0 for one the system picks
   * @param controller the controller whose signal closes the server
   * @param out where the server's lines go
   * @return the socket, binding; {@code 'listening'} follows
   */
  public static DgramSocket start(int port, AbortController controller, Consumer<String> out) {
    DgramSocket server = Dgram.createSocket(SocketOptions.of("udp4").signal(controller.signal()));
    server.on(
        DgramSocket.MESSAGE,
        (msg, rinfo) -> {
          String text = new String(msg, UTF_8);
          out.accept("server got: " + text + " from " + rinfo.address() + ":" + rinfo.port());
          if (text.equals("stop")) {
            controller.abort();
          }
        });
    server.on(
        DgramSocket.LISTENING,
        () -> {
          AddressInfo address = server.address();
          out.accept("server listening " + address.address() + ":" + address.port());
        });
    server.on(
        DgramSocket.CLOSE,
        () ->
            out.accept(
                "server closed: "
                    + (controller.signal().aborted() ? "its AbortSignal aborted" : "close()")));
    server.on(DgramSocket.ERROR, err -> out.accept("server error: " + err));
    server.bind(port);
    return server;
  }

  /**
   * Serves until a {@code stop} datagram aborts the controller.
   *
   * @param args the port (default 41234)
   */
  public static void main(String[] args) {
    start(
        args.length > 0 ? Integer.parseInt(args[0]) : 41234,
        new AbortController(),
        System.out::println);
  }
}
