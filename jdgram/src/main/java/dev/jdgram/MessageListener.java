package dev.jdgram;

/**
 * Listener for the {@code 'message'} event ({@link DgramSocket#MESSAGE}), and the callback of
 * {@link Dgram#createSocket(String, MessageListener)}.
 *
 * <p>Threading: runs on the socket's event-loop thread, never inside the call that caused it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MessageListener {
  /**
   * Receives one datagram.
   *
   * @param msg the datagram's bytes, a fresh array the listener owns (every listener of the same
   *     datagram receives the same array)
   * @param rinfo the sender's address, family and port, and the datagram's size
   */
  void onMessage(byte[] msg, RemoteInfo rinfo);
}
