package dev.jdgram.examples;

import dev.jdgram.AddressInfo;
import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Node's {@code socket.unref()}: a bound socket keeps the JVM running, as it keeps a Node process
 * running, unless it is unref'd. This main binds a socket, unrefs it and returns, and the JVM exits
 * although the socket is still open and listening. With {@code --ref} it leaves the socket ref'd,
 * and the JVM keeps running (stop it with Ctrl-C).
 *
 * <pre>
 * java ... dev.jdgram.examples.Unref [--ref]
 * listening on 127.0.0.1:46219, unref'd: main returns and the JVM exits
 * </pre>
 */
public final class Unref {
  private Unref() {}

  /**
   * Binds a socket to 127.0.0.1 and, if {@code unref}, unrefs it.
   *
   * @param unref whether to unref the socket
   * @return the bound socket
   * @throws Exception if the bind fails or takes more than 10 s
   */
  public static DgramSocket listen(boolean unref) throws Exception {
    DgramSocket socket = Dgram.createSocket("udp4");
    CompletableFuture<Void> listening = new CompletableFuture<>();
    socket.once(DgramSocket.ERROR, listening::completeExceptionally);
    socket.bind(0, "127.0.0.1", () -> listening.complete(null));
    try {
      listening.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      socket.close();
      throw e;
    }
    if (unref) {
      socket.unref();
    }
    return socket;
  }

  /**
   * Binds, unrefs (unless {@code --ref}), prints and returns.
   *
   * @param args {@code --ref} to keep the socket ref'd
   * @throws Exception if the bind fails
   */
  public static void main(String[] args) throws Exception {
    boolean ref = args.length > 0 && args[0].equals("--ref");
    AddressInfo address = listen(!ref).address();
    System.out.println(
        "listening on "
            + address.address()
            + ":"
            + address.port()
            + (ref
                ? ", ref'd: the JVM keeps running (Ctrl-C to stop)"
                : ", unref'd: main returns and the JVM exits"));
  }
}
