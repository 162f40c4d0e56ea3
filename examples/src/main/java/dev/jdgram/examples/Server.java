package dev.jdgram.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jdgram.AddressInfo;
import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import java.util.function.Consumer;

/**
 * The server of Node's dgram documentation (its first example): listens on a port and prints every
 * datagram with its sender.
 *
 * <pre>
 * java ... dev.jdgram.examples.Server [port]     (default 41234)
 * server listening 0.0.0.0:41234
 * server got: Some bytes from 127.0.0.1:52748
 * </pre>
 *
 * <p>The bound socket keeps the JVM running, as it keeps a Node process running; stop it with
 * Ctrl-C.
 */
public final class Server {
  private Server() {}

  /**
   * Creates the server and binds it to {@code port} on all interfaces, as Node's example does.
   *
   * @param port the port, or 0 for one the system picks
   * @param out where the server's lines go (from its event-loop thread)
   * @return the socket, binding; {@code 'listening'} follows
   */
  public static DgramSocket start(int port, Consumer<String> out) {
    DgramSocket server = Dgram.createSocket("udp4");

    server.on(
        DgramSocket.ERROR,
        err -> {
          out.accept("server error:\n" + err);
          server.close();
        });

    server.on(
        DgramSocket.MESSAGE,
        (msg, rinfo) ->
            out.accept(
                "server got: "
                    + new String(msg, UTF_8)
                    + " from "
                    + rinfo.address()
                    + ":"
                    + rinfo.port()));

    server.on(
        DgramSocket.LISTENING,
        () -> {
          AddressInfo address = server.address();
          out.accept("server listening " + address.address() + ":" + address.port());
        });

    server.bind(port);
    return server;
  }

  /**
   * Runs the server until the JVM is stopped.
   *
   * @param args the port (default 41234)
   */
  public static void main(String[] args) {
    start(args.length > 0 ? Integer.parseInt(args[0]) : 41234, System.out::println);
  }
}
