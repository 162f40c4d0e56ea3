package dev.jdgram.internal;

import io.netty.channel.EventLoop;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the loops from delaying the JVM's exit. HotSpot ends the JVM at a final safepoint and first
 * waits, polling every 10 ms for up to 300 ms, for every thread that is inside native code to come
 * back; a loop thread idles inside epoll_wait or select, so every exit of a program that had a
 * socket, System.exit or the last thread ending, took 300 ms longer. Once shutdown begins, a
 * shutdown hook makes every loop wake every few milliseconds, so the loop threads come out of
 * native code soon after the final safepoint starts. The loops keep running meanwhile: the
 * application's own shutdown hooks may still send and close.
 */
final class ExitWakeups {
  /** How often the loops wake once the JVM is shutting down. */
  static final long PERIOD_MILLIS = 2;

  /** The loops that have been given a socket: the others have no thread yet. */
  private static final Set<EventLoop> LOOPS = ConcurrentHashMap.newKeySet();

  private static volatile boolean hooked;
  private static volatile boolean exiting;

  private ExitWakeups() {}

  /** Wakes {@code loop} while the JVM exits. */
  static void add(EventLoop loop) {
    if (!LOOPS.add(loop)) {
      return;
    }
    if (!hooked) {
      synchronized (ExitWakeups.class) {
        if (!hooked) {
          hooked = true;
          try {
            Runtime.getRuntime()
                .addShutdownHook(new Thread(ExitWakeups::wakeAll, "jdgram-exit-wakeups"));
          } catch (IllegalStateException alreadyExiting) {
            exiting = true; // no hook will run
          }
        }
      }
    }
    if (exiting) {
      wake(loop);
    }
  }

  private static void wakeAll() {
    exiting = true;
    LOOPS.forEach(ExitWakeups::wake); // a loop added meanwhile may be woken twice: harmless
  }

  private static void wake(EventLoop loop) {
    try {
      loop.scheduleAtFixedRate(
          ExitWakeups::nothing, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // a loop that has stopped has no thread to wait for
    }
  }

  private static void nothing() {}
}
