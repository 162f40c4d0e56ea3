package dev.jdgram;

/**
 * Aborts an {@link AbortSignal}, mirroring the web {@code AbortController} that Node provides as a
 * global: pass {@link #signal()} to an operation and call {@link #abort()} to stop it.
 *
 * <p>Threading: every method is safe from any thread; the signal's listeners run on the thread that
 * calls {@code abort}.
 *
 * @since 0.1.0
 */
public final class AbortController {
  private final AbortSignal signal = new AbortSignal();

  /**
   * Creates a controller with a new signal that has not aborted, like Node's {@code new
   * AbortController()}.
   */
  public AbortController() {}

  /**
   * Returns the signal this controller aborts, like Node's {@code controller.signal}.
   *
   * @return the same signal on every call
   */
  public AbortSignal signal() {
    return signal;
  }

  /**
   * Aborts the signal with an {@code ABORT_ERR} error as its reason, like Node's {@code
   * controller.abort()}; does nothing if it has already aborted.
   */
  public void abort() {
    signal.signalAbort(null);
  }

  /**
   * Aborts the signal with a reason, like Node's {@code controller.abort(reason)}; does nothing if
   * it has already aborted, so the first reason stays.
   *
   * @param reason the reason; null gives the default {@code ABORT_ERR} error, as {@code undefined}
   *     does in Node
   */
  public void abort(Object reason) {
    signal.signalAbort(reason);
  }
}
