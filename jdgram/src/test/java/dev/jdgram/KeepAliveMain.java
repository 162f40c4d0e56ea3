package dev.jdgram;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link RefUnrefTest}: sets up one socket as {@code args[0]} says, prints {@code
 * ready} and returns from main. Whether the JVM then exits is what the test observes.
 *
 * <ul>
 *   <li>{@code bound}: a bound socket.
 *   <li>{@code unref}: a bound socket, then unref().
 *   <li>{@code unref-before-bind}: unref(), then bind.
 *   <li>{@code unref-ref}: a bound socket, unref(), then ref().
 *   <li>{@code closed}: a bound socket, then close() and wait for 'close'.
 *   <li>{@code unbound}: a socket that is never bound.
 *   <li>{@code exit-in-hook}: a bound socket on the shared loop and one with its own loop, and a
 *       shutdown hook that sends one datagram each way between them and halts with {@link
 *       #DELIVERED_IN_HOOK} once both have arrived; main then calls {@code System.exit(0)}.
 * </ul>
 */
public final class KeepAliveMain {
  /** The exit status of {@code exit-in-hook} when both datagrams arrived during shutdown. */
  static final int DELIVERED_IN_HOOK = 5;

  private KeepAliveMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    DgramSocket s = Dgram.createSocket("udp4");
    switch (mode) {
      case "bound":
        bind(s);
        break;
      case "unref":
        bind(s);
        s.unref();
        break;
      case "unref-before-bind":
        s.unref();
        bind(s);
        break;
      case "unref-ref":
        bind(s);
        s.unref();
        s.ref();
        break;
      case "closed":
        bind(s);
        s.closeAsync().get(10, TimeUnit.SECONDS);
        break;
      case "unbound":
        break;
      case "exit-in-hook":
        exitWithTrafficInHook(s);
        return;
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
    System.out.println("ready");
    System.out.flush();
  }

  private static void exitWithTrafficInHook(DgramSocket shared) throws Exception {
    DgramSocket own = Dgram.createSocket(SocketOptions.of("udp4").ownEventLoop(true));
    bind(shared);
    bind(own);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Thread.sleep(50); // let jdgram's own hook run first
                    roundTrip(shared, own);
                    roundTrip(own, shared);
                    Runtime.getRuntime().halt(DELIVERED_IN_HOOK);
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                }));
    System.out.println("ready");
    System.out.flush();
    System.exit(0);
  }

  /** Sends one datagram from {@code from} to {@code to} and waits for it. */
  private static void roundTrip(DgramSocket from, DgramSocket to) throws Exception {
    CompletableFuture<byte[]> got = new CompletableFuture<>();
    to.on(DgramSocket.MESSAGE, (msg, rinfo) -> got.complete(msg));
    from.send(new byte[] {'h', 'i'}, to.address().port(), "127.0.0.1");
    got.get(10, TimeUnit.SECONDS);
  }

  private static void bind(DgramSocket s) throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, listening::completeExceptionally);
    s.bind(0, "127.0.0.1", () -> listening.complete(null));
    listening.get(10, TimeUnit.SECONDS);
  }
}
