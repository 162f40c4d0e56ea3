package dev.jdgram;

/**
 * Completion of one {@code send()}: Node's {@code callback(err, bytes)}.
 *
 * <p>Threading: runs once, on the socket's event-loop thread, never inside {@code send()}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SendCallback {
  /**
   * Called when the datagram was handed to the kernel, or failed.
   *
   * @param err null on success, else why the datagram was not sent
   * @param bytes the number of bytes sent; 0 on failure
   */
  void done(DgramException err, int bytes);
}
