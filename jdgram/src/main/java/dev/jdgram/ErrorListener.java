package dev.jdgram;

/**
 * Listener for the {@code 'error'} event ({@link DgramSocket#ERROR}).
 *
 * <p>Threading: runs on the socket's event-loop thread, never inside the call that caused it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ErrorListener {
  /**
   * Receives an error of the socket.
   *
   * @param err the error, with Node's code
   */
  void onError(DgramException err);
}
