package dev.jdgram.examples;

import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A multicast sender, as Node's {@code setMulticastInterface} example sets one up: bind, choose the
 * outgoing interface, keep the datagram to one hop ({@code setMulticastTTL(1)}) and loop it back to
 * receivers on this host ({@code setMulticastLoopback(true)}), then send to the group.
 *
 * <p>The socket is bound to the interface's address, so that address is the datagram's source: a
 * {@link MulticastReceiver} joined source-specifically to 127.0.0.1 takes it.
 *
 * <pre>
 * java ... dev.jdgram.examples.MulticastSender [text [group [port [interface]]]]
 *     (default hello 239.1.2.3 41234 127.0.0.1; start MulticastReceiver first)
 * sent 5 bytes to 239.1.2.3:41234 from 127.0.0.1
 * </pre>
 */
public final class MulticastSender {
  private MulticastSender() {}

  /**
   * Sends one datagram to {@code group}:{@code port} out of the interface {@code iface}.
   *
   * @param text the message (UTF-8)
   * @param group the multicast group
   * @param port the receivers' port
   * @param iface the address of the interface to send from, e.g. 127.0.0.1
   * @return the bytes sent, or the error of the bind, an option or the send
   */
  public static CompletableFuture<Integer> send(String text, String group, int port, String iface) {
    DgramSocket sender = Dgram.createSocket("udp4");
    CompletableFuture<Integer> sent = new CompletableFuture<>();
    sender.once(
        DgramSocket.ERROR,
        err -> {
          sender.close();
          sent.completeExceptionally(err);
        });
    sender.bind(
        0,
        iface,
        () -> {
          try {
            sender.setMulticastInterface(iface);
            sender.setMulticastTTL(1);
            sender.setMulticastLoopback(true);
          } catch (DgramException e) {
            sender.close();
            sent.completeExceptionally(e);
            return;
          }
          sender.send(
              text,
              port,
              group,
              (err, bytes) -> {
                sender.close();
                if (err != null) {
                  sent.completeExceptionally(err);
                } else {
                  sent.complete(bytes);
                }
              });
        });
    return sent;
  }

  /**
   * Sends one datagram and prints what was sent.
   *
   * @param args text, group, port and interface
   * @throws Exception if the send fails or takes more than 10 s
   */
  public static void main(String[] args) throws Exception {
    String text = args.length > 0 ? args[0] : "hello";
    String group = args.length > 1 ? args[1] : "239.1.2.3";
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 41234;
    String iface = args.length > 3 ? args[3] : "127.0.0.1";
    int bytes = send(text, group, port, iface).get(10, TimeUnit.SECONDS);
    System.out.println("sent " + bytes + " bytes to " + group + ":" + port + " from " + iface);
  }
}
