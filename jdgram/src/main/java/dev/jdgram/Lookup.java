package dev.jdgram;

import java.net.InetAddress;
import java.util.concurrent.CompletionStage;

/**
 * Resolves host names for a socket: Node's {@code lookup} option of {@code createSocket}.
 *
 * <p>jdgram calls it for every address it must resolve: bind addresses, send and connect
 * destinations, and the defaults ({@code 0.0.0.0} or {@code ::} for {@code bind()}, {@code
 * 127.0.0.1} or {@code ::1} for a send with no address). A stage that fails with a {@link
 * DgramException} delivers that exception; an {@link java.net.UnknownHostException} becomes {@code
 * ENOTFOUND}. The default resolves IP literals directly and host names with the system resolver,
 * off the event loop.
 *
 * <p>Threading: called on the socket's event-loop thread; it must not block. The stage may complete
 * on any thread.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Lookup {
  /**
   * Resolves one host name.
   *
   * @param hostname the name or IP literal to resolve
   * @param family 4 for a udp4 socket, 6 for a udp6 socket
   * @return a stage that completes with the address
   */
  CompletionStage<InetAddress> lookup(String hostname, int family);
}
