package dev.jdgram.bench.subject;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts datagrams and bytes for one writer thread (an event loop), cheaply: a release store per
 * datagram, no lock. A {@link Window} sums several meters between MARK and STOP.
 */
final class Meter {
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /** Counts {@code n} datagrams of {@code size} bytes; one writer thread only. */
  void add(int n, long size) {
    count.lazySet(count.get() + n);
    bytes.lazySet(bytes.get() + size);
  }

  long count() {
    return count.get();
  }

  long bytes() {
    return bytes.get();
  }

  /** The measured window: counts, bytes, time and Java heap allocation between MARK and STOP. */
  static final class Window {
    private final List<Meter> meters;
    private long count0;
    private long bytes0;
    private long nanos0;
    private long alloc0;

    Window(List<Meter> meters) {
      this.meters = meters;
    }

    void mark() {
      count0 = sumCount();
      bytes0 = sumBytes();
      alloc0 = allocatedBytes();
      nanos0 = System.nanoTime();
    }

    String stop() {
      long nanos = System.nanoTime() - nanos0;
      long count = sumCount() - count0;
      long bytes = sumBytes() - bytes0;
      long alloc = allocatedBytes() - alloc0;
      return "count=" + count + " bytes=" + bytes + " nanos=" + nanos + " alloc=" + alloc;
    }

    private long sumCount() {
      long s = 0;
      for (Meter m : meters) {
        s += m.count();
      }
      return s;
    }

    private long sumBytes() {
      long s = 0;
      for (Meter m : meters) {
        s += m.bytes();
      }
      return s;
    }
  }

  /**
   * Bytes allocated on the Java heap by the JVM's live threads (in a subject, the event loops do
   * nearly all of it; the control thread reads one line): HotSpot's per-thread TLAB accounting,
   * exact for threads that live through the window.
   */
  static long allocatedBytes() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    if (!(mx instanceof com.sun.management.ThreadMXBean)) {
      return -1;
    }
    com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
    long sum = 0;
    for (long b : hs.getThreadAllocatedBytes(mx.getAllThreadIds())) {
      if (b > 0) {
        sum += b;
      }
    }
    return sum;
  }
}
