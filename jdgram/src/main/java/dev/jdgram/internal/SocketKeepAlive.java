package dev.jdgram.internal;

/**
 * One socket's share of {@link KeepAlive}: Node's ref/unref. The socket holds the JVM while it is
 * ref'ed and its state wants it (open and binding or bound); this tracks whether it holds one now,
 * so acquire and release always pair. Guarded by the owning {@link SocketState}'s lock.
 */
final class SocketKeepAlive {
  private boolean refed = true;
  private boolean holding;

  void ref(boolean on) {
    refed = on;
  }

  /** Acquires or releases so that the JVM is held exactly when {@code stateWants} and ref'ed. */
  void update(boolean stateWants) {
    boolean want = refed && stateWants;
    if (want && !holding) {
      KeepAlive.acquire();
      holding = true;
    } else if (!want && holding) {
      KeepAlive.release();
      holding = false;
    }
  }
}
