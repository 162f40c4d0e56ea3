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
 * </ul>
 */
public final class KeepAliveMain {
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
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
    System.out.println("ready");
    System.out.flush();
  }

  private static void bind(DgramSocket s) throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, listening::completeExceptionally);
    s.bind(0, "127.0.0.1", () -> listening.complete(null));
    listening.get(10, TimeUnit.SECONDS);
  }
}
