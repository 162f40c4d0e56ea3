package dev.jdgram.internal;

import java.util.Arrays;

/**
 * Node's EventEmitter bookkeeping for a fixed set of events: listeners in registration order, the
 * same listener allowed twice, {@code once} listeners removed before they run, and removal of the
 * most recently added instance. Registration may happen on any thread (copy-on-write under a lock);
 * emitting walks a snapshot without a lock, as Node's emit walks a copy of the array.
 */
public final class Emitter {
  /** A registered listener; {@code once} entries fire at most one time. */
  public static final class Entry {
    final Object listener;
    final boolean once;
    private boolean fired; // touched only on the loop thread

    Entry(Object listener, boolean once) {
      this.listener = listener;
      this.once = once;
    }

    /** The listener as registered. */
    public Object listener() {
      return listener;
    }
  }

  private static final Entry[] NONE = new Entry[0];

  /** Replaced whole on every change, so a reader needs one volatile read and no lock. */
  private volatile Entry[][] table;

  public Emitter(int events) {
    Entry[][] t = new Entry[events][];
    Arrays.fill(t, NONE);
    table = t;
  }

  /** Adds a listener at the end (or the front, for prependListener). */
  public synchronized void add(int event, Object listener, boolean once, boolean prepend) {
    Entry[] old = table[event];
    Entry[] next = new Entry[old.length + 1];
    Entry e = new Entry(listener, once);
    if (prepend) {
      next[0] = e;
      System.arraycopy(old, 0, next, 1, old.length);
    } else {
      System.arraycopy(old, 0, next, 0, old.length);
      next[old.length] = e;
    }
    publish(event, next);
  }

  /** Removes the most recently added instance of {@code listener}, once-wrapped or not. */
  public synchronized boolean remove(int event, Object listener) {
    Entry[] old = table[event];
    for (int i = old.length - 1; i >= 0; i--) {
      if (old[i].listener == listener || old[i].listener.equals(listener)) {
        removeAt(event, old, i);
        return true;
      }
    }
    return false;
  }

  private synchronized boolean removeEntry(int event, Entry entry) {
    Entry[] old = table[event];
    for (int i = old.length - 1; i >= 0; i--) {
      if (old[i] == entry) {
        removeAt(event, old, i);
        return true;
      }
    }
    return false;
  }

  private void removeAt(int event, Entry[] old, int i) {
    if (old.length == 1) {
      publish(event, NONE);
      return;
    }
    Entry[] next = new Entry[old.length - 1];
    System.arraycopy(old, 0, next, 0, i);
    System.arraycopy(old, i + 1, next, i, old.length - i - 1);
    publish(event, next);
  }

  public synchronized void removeAll(int event) {
    publish(event, NONE);
  }

  public int count(int event) {
    return snapshot(event).length;
  }

  /** The listeners of an event now; the array is never modified. */
  public Entry[] snapshot(int event) {
    return table[event];
  }

  private void publish(int event, Entry[] next) {
    Entry[][] t = table.clone();
    t[event] = next;
    table = t;
  }

  /**
   * Prepares an entry of a snapshot to run: a {@code once} entry is removed first and runs only if
   * it has not run already. Loop thread only.
   *
   * @return whether the listener should be called
   */
  public boolean claim(int event, Entry e) {
    if (!e.once) {
      return true;
    }
    if (e.fired) {
      return false;
    }
    e.fired = true;
    removeEntry(event, e);
    return true;
  }
}
