package dev.jdgram.bench.subject;

import java.util.Arrays;

/**
 * Round-trip times of a ping-pong client, kept whole in a sorted {@code long[]}: at a few hundred
 * thousand samples that is exact and costs a few MiB, so no histogram library is needed.
 */
final class Latencies {
  private final long[] nanos;
  private int n;

  Latencies(int capacity) {
    nanos = new long[capacity];
  }

  void add(long rtt) {
    if (n < nanos.length) {
      nanos[n++] = rtt;
    }
  }

  int size() {
    return n;
  }

  /** The RESULT fields: p50, p99 and p99.9 in microseconds (nearest rank), and the sample count. */
  String summary(long lost) {
    long[] s = Arrays.copyOf(nanos, n);
    Arrays.sort(s);
    return "p50="
        + micros(s, 0.50)
        + " p99="
        + micros(s, 0.99)
        + " p999="
        + micros(s, 0.999)
        + " n="
        + n
        + " lost="
        + lost;
  }

  private static String micros(long[] sorted, double q) {
    if (sorted.length == 0) {
      return "0";
    }
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    long v = sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    return String.format(java.util.Locale.ROOT, "%.2f", v / 1000.0);
  }
}
