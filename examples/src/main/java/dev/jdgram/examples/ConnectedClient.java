package dev.jdgram.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jdgram.AddressInfo;
import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connected client of Node's dgram documentation: {@code connect} to the server, then {@code
 * send} with no address, then close.
 *
 * <pre>
 * java ... dev.jdgram.examples.ConnectedClient [port]     (default 41234; start Server first)
 * connected to 127.0.0.1:41234, sent 10 bytes
 * </pre>
 */
public final class ConnectedClient {
  private ConnectedClient() {}

  /**
   * What the connected client did.
   *
   * @param remote the peer it was connected to ({@code remoteAddress()})
   * @param bytes the bytes sent
   */
  public record Sent(AddressInfo remote, int bytes) {}

  /**
   * Node's {@code client.connect(port, host, (err) => client.send(message, (err) =>
   * client.close()))}.
   *
   * @param text the message (UTF-8)
   * @param port the server's port
   * @param host the server, an IP literal or a host name
   * @return the peer and the bytes sent, or the connect's or send's error
   */
  public static CompletableFuture<Sent> send(String text, int port, String host) {
    byte[] message = text.getBytes(UTF_8);
    DgramSocket client = Dgram.createSocket("udp4");
    CompletableFuture<Sent> done = new CompletableFuture<>();
    client.connect(
        port,
        host,
        err -> {
          if (err != null) {
            client.close();
            done.completeExceptionally(err);
            return;
          }
          AddressInfo remote = client.remoteAddress();
          client.send(
              message,
              (sendErr, bytes) -> {
                client.close();
                if (sendErr != null) {
                  done.completeExceptionally(sendErr);
                } else {
                  done.complete(new Sent(remote, bytes));
                }
              });
        });
    return done;
  }

  /**
   * Connects, sends once and prints what it did.
   *
   * @param args the port (default 41234)
   * @throws Exception if the connect or the send fails, or takes more than 10 s
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 41234;
    Sent sent = send("Some bytes", port, "localhost").get(10, TimeUnit.SECONDS);
    System.out.println(
        "connected to "
            + sent.remote().address()
            + ":"
            + sent.remote().port()
            + ", sent "
            + sent.bytes()
            + " bytes");
  }
}
