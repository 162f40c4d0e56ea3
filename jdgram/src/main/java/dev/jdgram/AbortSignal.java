package dev.jdgram;

import dev.jdgram.internal.NodeErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells an operation that it should stop, mirroring the web {@code AbortSignal} that Node passes as
 * {@code options.signal}; a socket created with a signal closes when the signal aborts.
 *
 * <p>A signal comes from an {@link AbortController} or, already aborted, from {@link #abort()}.
 * Once aborted it stays aborted with the first reason.
 *
 * <p>Abort listeners follow the DOM's event rules: each listener runs at most once, in the order
 * added, on the thread that aborts, after {@link #aborted()} has become true. Adding a listener
 * that is already registered does nothing; a listener removed before its turn, even by an earlier
 * listener, does not run; a listener added once the signal has aborted never runs. An exception
 * thrown by a listener goes to the aborting thread's uncaught-exception handler, as Node reports it
 * as an uncaught exception, and the remaining listeners still run. One difference from Node: Node
 * also runs a listener that an earlier listener adds during the abort; the DOM and jdgram do not.
 *
 * <p>Threading: every method is safe from any thread. No lock is held while listeners run.
 *
 * @since 0.1.0
 */
public final class AbortSignal {
  private final Object lock = new Object();

  /** The abort reason, never null once aborted: null means not aborted. */
  private volatile Object reason;

  /** Registered listeners in order; guarded by {@link #lock}; emptied once they have run. */
  private final List<Registration> listeners = new ArrayList<>();

  /** Signals come from {@link AbortController} or the static factories only, as in Node. */
  AbortSignal() {}

  /**
   * Returns an already aborted signal whose reason is an {@code ABORT_ERR} error, like Node's
   * {@code AbortSignal.abort()}.
   *
   * @return a new aborted signal
   */
  public static AbortSignal abort() {
    return abort(null);
  }

  /**
   * Returns an already aborted signal with the given reason, like Node's {@code
   * AbortSignal.abort(reason)}.
   *
   * @param reason the reason; null gives the default {@code ABORT_ERR} error, as {@code undefined}
   *     does in Node
   * @return a new aborted signal
   */
  public static AbortSignal abort(Object reason) {
    AbortSignal signal = new AbortSignal();
    signal.signalAbort(reason);
    return signal;
  }

  /**
   * Returns whether the signal has aborted, like Node's {@code signal.aborted}.
   *
   * @return true once aborted
   */
  public boolean aborted() {
    return reason != null;
  }

  /**
   * Returns why the signal aborted, like Node's {@code signal.reason}.
   *
   * @return the reason given to abort, or a {@link DgramException} with code {@code ABORT_ERR} and
   *     message {@code "This operation was aborted"} if none was given; null while not aborted
   */
  public Object reason() {
    return reason;
  }

  /**
   * Throws the abort reason if the signal has aborted, like Node's {@code signal.throwIfAborted()};
   * does nothing otherwise.
   *
   * @throws RuntimeException the reason itself, if it is a {@code RuntimeException} (the default
   *     reason is a {@link DgramException})
   * @throws Error the reason itself, if it is an {@code Error}
   * @throws DgramException {@code ABORT_ERR}, {@code "This operation was aborted"}, for any other
   *     reason (Java cannot throw it as Node does); a checked exception reason is its cause
   */
  public void throwIfAborted() {
    Object current = reason;
    if (current == null) {
      return;
    }
    if (current instanceof RuntimeException) {
      throw (RuntimeException) current;
    }
    if (current instanceof Error) {
      throw (Error) current;
    }
    Throwable cause = current instanceof Throwable ? (Throwable) current : null;
    throw NodeErrors.abortError(cause);
  }

  /**
   * Registers a listener to run when the signal aborts, like Node's {@code
   * signal.addEventListener('abort', listener)}. Does nothing if the listener is already
   * registered, if the signal has already aborted, or if {@code listener} is null (Node ignores a
   * null listener too).
   *
   * @param listener the listener
   */
  public void addAbortListener(Runnable listener) {
    if (listener == null) {
      return;
    }
    synchronized (lock) {
      if (reason != null || indexOf(listener) >= 0) {
        return;
      }
      listeners.add(new Registration(listener));
    }
  }

  /**
   * Unregisters a listener, like Node's {@code signal.removeEventListener('abort', listener)}. If
   * the signal is aborting on another thread and the listener has not run yet, it will not run.
   * Does nothing if the listener is not registered.
   *
   * @param listener the listener
   */
  public void removeAbortListener(Runnable listener) {
    synchronized (lock) {
      int index = indexOf(listener);
      if (index >= 0) {
        listeners.remove(index).removed = true;
      }
    }
  }

  /**
   * Aborts the signal and runs its listeners, unless it has already aborted. Called by {@link
   * AbortController#abort(Object)}.
   *
   * @param reason the reason, or null for the default {@code ABORT_ERR} error
   * @return true if this call aborted the signal
   */
  boolean signalAbort(Object reason) {
    Registration[] toRun;
    synchronized (lock) {
      if (this.reason != null) {
        return false;
      }
      this.reason = reason != null ? reason : NodeErrors.abortError(null);
      toRun = listeners.toArray(new Registration[0]);
    }
    Thread thread = Thread.currentThread();
    for (Registration registration : toRun) {
      // Checked at each turn: DOM dispatch skips a listener removed by an earlier one.
      if (registration.removed) {
        continue;
      }
      try {
        registration.listener.run();
      } catch (Throwable t) {
        // Node reports a throwing listener as an uncaught exception and goes on with the rest.
        // The JVM ignores anything a handler throws, and so do we, so the rest still run.
        try {
          thread.getUncaughtExceptionHandler().uncaughtException(thread, t);
        } catch (Throwable ignored) {
          // See above.
        }
      }
    }
    synchronized (lock) {
      listeners.clear(); // they will never run again: let them be collected
    }
    return true;
  }

  @Override
  public String toString() {
    return "AbortSignal { aborted: " + aborted() + " }";
  }

  /** Finds a listener by identity, as DOM event targets compare callbacks; caller holds lock. */
  private int indexOf(Runnable listener) {
    for (int i = 0; i < listeners.size(); i++) {
      if (listeners.get(i).listener == listener) {
        return i;
      }
    }
    return -1;
  }

  /** One addAbortListener call; {@code removed} stops it running once the abort has begun. */
  private static final class Registration {
    final Runnable listener;
    volatile boolean removed;

    Registration(Runnable listener) {
      this.listener = listener;
    }
  }
}
