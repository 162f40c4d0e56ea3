package dev.jdgram;

/**
 * Completion of {@link DgramSocket#connect(int, String, Callback)}: Node's {@code callback(err)}.
 *
 * <p>Threading: runs once, on the socket's event-loop thread, never inside {@code connect()}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Callback {
  /**
   * Called when the operation has completed.
   *
   * @param err null on success, else the failure
   */
  void done(DgramException err);
}
