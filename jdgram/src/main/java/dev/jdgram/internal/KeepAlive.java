package dev.jdgram.internal;

/**
 * Keeps the JVM alive while any ref'ed socket is open, as Node's process stays alive while a ref'ed
 * handle is active. The event-loop threads are daemons; this one non-daemon thread exists only
 * while the count is above zero.
 */
public final class KeepAlive {
  private static final Object LOCK = new Object();
  private static int count;
  private static Thread thread;

  private KeepAlive() {}

  /** One more socket holds the JVM. */
  public static void acquire() {
    synchronized (LOCK) {
      count++;
      if (thread == null) {
        thread = new Thread(KeepAlive::hold, "jdgram-keepalive");
        thread.setDaemon(false);
        thread.start();
      }
    }
  }

  /** One socket fewer holds the JVM. */
  public static void release() {
    synchronized (LOCK) {
      if (count <= 0) {
        throw new IllegalStateException("KeepAlive released more often than acquired");
      }
      if (--count == 0) {
        LOCK.notifyAll();
      }
    }
  }

  /** The number of sockets that hold the JVM now. */
  public static int count() {
    synchronized (LOCK) {
      return count;
    }
  }

  private static void hold() {
    synchronized (LOCK) {
      try {
        while (count > 0) {
          LOCK.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        thread = null;
      }
    }
  }
}
