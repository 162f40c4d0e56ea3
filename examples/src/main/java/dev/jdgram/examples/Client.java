package dev.jdgram.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clients of Node's dgram documentation ({@code socket.send}): one datagram from one buffer to
 * {@code localhost}, and one datagram made of several buffers to 127.0.0.1. Each client closes its
 * socket in the send callback, so the JVM exits when main returns.
 *
 * <pre>
 * java ... dev.jdgram.examples.Client [port]     (default 41234; start Server first)
 * sent 10 bytes to localhost:41234
 * sent 10 bytes, one datagram of 2 buffers, to 127.0.0.1:41234
 * </pre>
 */
public final class Client {
  private Client() {}

  /**
   * Node's {@code client.send(message, port, 'localhost', (err) => client.close())}.
   *
   * @param text the message (UTF-8)
   * @param port the destination port
   * @param host the destination, an IP literal or a host name
   * @return the number of bytes sent, or the send's error
   */
  public static CompletableFuture<Integer> send(String text, int port, String host) {
    byte[] message = text.getBytes(UTF_8);
    DgramSocket client = Dgram.createSocket("udp4");
    CompletableFuture<Integer> sent = new CompletableFuture<>();
    client.send(
        message,
        port,
        host,
        (err, bytes) -> {
          client.close();
          if (err != null) {
            sent.completeExceptionally(err);
          } else {
            sent.complete(bytes);
          }
        });
    return sent;
  }

  /**
   * Node's {@code client.send([buf1, buf2], port, (err) => client.close())}: the buffers leave as
   * one datagram, to 127.0.0.1 since no address is given.
   *
   * @param port the destination port
   * @param parts the buffers' contents (UTF-8)
   * @return the number of bytes sent, or the send's error
   */
  public static CompletableFuture<Integer> sendParts(int port, String... parts) {
    List<byte[]> buffers = new ArrayList<>();
    for (String part : parts) {
      buffers.add(part.getBytes(UTF_8));
    }
    DgramSocket client = Dgram.createSocket("udp4");
    CompletableFuture<Integer> sent = new CompletableFuture<>();
    client.send(
        buffers,
        port,
        (err, bytes) -> {
          client.close();
          if (err != null) {
            sent.completeExceptionally(err);
          } else {
            sent.complete(bytes);
          }
        });
    return sent;
  }

  /**
   * Sends both datagrams and prints what was sent.
   *
   * @param args the port (default 41234)
   * @throws Exception if a send fails or takes more than 10 s
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 41234;
    int bytes = send("Some bytes", port, "localhost").get(10, TimeUnit.SECONDS);
    System.out.println("sent " + bytes + " bytes to localhost:" + port);
    bytes = sendParts(port, "Some ", "bytes").get(10, TimeUnit.SECONDS);
    System.out.println("sent " + bytes + " bytes, one datagram of 2 buffers, to 127.0.0.1:" + port);
  }
}
