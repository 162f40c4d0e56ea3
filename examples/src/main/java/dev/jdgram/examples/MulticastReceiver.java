package dev.jdgram.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A multicast receiver, as Node's {@code addMembership} and {@code addSourceSpecificMembership}
 * describe it: binds the port on all interfaces (with {@code reuseAddr}, so several receivers can
 * share it), joins the group on one interface and prints what arrives.
 *
 * <p>Any-source multicast takes any sender to the group; source-specific multicast (groups
 * 232.0.0.0/8) only the one source joined. Both work on loopback with no route or network: join on
 * 127.0.0.1 and send with {@link MulticastSender} on 127.0.0.1.
 *
 * <pre>
 * java ... dev.jdgram.examples.MulticastReceiver [group [port [interface [source]]]]
 *     (default 239.1.2.3 41234 127.0.0.1; a source makes it source-specific, e.g.
 *      232.1.2.3 41234 127.0.0.1 127.0.0.1)
 * listening on port 41234, joined 239.1.2.3 on 127.0.0.1
 * multicast got: hello from 127.0.0.1:43921
 * </pre>
 */
public final class MulticastReceiver {
  private MulticastReceiver() {}

  /**
   * Binds {@code port} and joins {@code group} on {@code iface} for any source.
   *
   * @param group an IPv4 multicast group, e.g. 239.1.2.3
   * @param port the port, or 0 for one the system picks
   * @param iface the address of the interface to join on, e.g. 127.0.0.1
   * @param out where the receiver's lines go
   * @return the bound socket, a member of the group
   * @throws Exception if the bind or the join fails, or the bind takes more than 10 s
   */
  public static DgramSocket join(String group, int port, String iface, Consumer<String> out)
      throws Exception {
    DgramSocket socket = bound(port, out);
    try {
      socket.addMembership(group, iface);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
    out.accept(
        "listening on port " + socket.address().port() + ", joined " + group + " on " + iface);
    return socket;
  }

  /**
   * Binds {@code port} and joins the source-specific channel ({@code source}, {@code group}) on
   * {@code iface}: datagrams to the group from any other source are not delivered.
   *
   * @param source the one sender's address
   * @param group an IPv4 source-specific group, 232.0.0.0/8
   * @param port the port, or 0 for one the system picks
   * @param iface the address of the interface to join on
   * @param out where the receiver's lines go
   * @return the bound socket, a member of the channel
   * @throws Exception if the bind or the join fails, or the bind takes more than 10 s
   */
  public static DgramSocket joinSourceSpecific(
      String source, String group, int port, String iface, Consumer<String> out) throws Exception {
    DgramSocket socket = bound(port, out);
    try {
      socket.addSourceSpecificMembership(source, group, iface);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
    out.accept(
        "listening on port "
            + socket.address().port()
            + ", joined "
            + group
            + " from source "
            + source
            + " on "
            + iface);
    return socket;
  }

  /** A reuseAddr socket bound to all interfaces, printing each datagram. */
  private static DgramSocket bound(int port, Consumer<String> out) throws Exception {
    DgramSocket socket = Dgram.createSocket(SocketOptions.of("udp4").reuseAddr(true));
    socket.on(
        DgramSocket.MESSAGE,
        (msg, rinfo) ->
            out.accept(
                "multicast got: "
                    + new String(msg, UTF_8)
                    + " from "
                    + rinfo.address()
                    + ":"
                    + rinfo.port()));
    CompletableFuture<Void> listening = new CompletableFuture<>();
    socket.once(DgramSocket.ERROR, listening::completeExceptionally);
    socket.bind(port, () -> listening.complete(null));
    try {
      listening.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.close();
      throw e;
    }
    socket.on(DgramSocket.ERROR, err -> out.accept("receiver error: " + err));
    return socket;
  }

  /**
   * Receives until the JVM is stopped.
   *
   * @param args group, port, interface and, for source-specific multicast, the source
   * @throws Exception if the bind or the join fails
   */
  public static void main(String[] args) throws Exception {
    String group = args.length > 0 ? args[0] : "239.1.2.3";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 41234;
    String iface = args.length > 2 ? args[2] : "127.0.0.1";
    if (args.length > 3) {
      joinSourceSpecific(args[3], group, port, iface, System.out::println);
    } else {
      join(group, port, iface, System.out::println);
    }
  }
}
