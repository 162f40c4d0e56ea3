package dev.jdgram.bench.report;

/**
 * What one number means.
 *
 * @param name the metric's short name, e.g. {@code dgrams/s}
 * @param higherIsBetter whether a larger value is better (rates) or worse (latency, memory)
 * @param chart whether the chart shows its ratio to Node
 */
public record Metric(String name, boolean higherIsBetter, boolean chart) {
  /** Datagrams per second. */
  public static final Metric DGRAMS = new Metric("dgrams/s", true, true);

  /** Megabytes (10^6 bytes) of payload per second. */
  public static final Metric MBYTES = new Metric("MB/s", true, false);

  /** Kernel receive-buffer drops per second of the window. */
  public static final Metric DROPS = new Metric("drops/s", false, false);

  /** Datagrams per second that the busy sink received from the sender under test. */
  public static final Metric SINK_DGRAMS = new Metric("sink dgrams/s", true, false);

  /** Resident set size in MiB. */
  public static final Metric RSS = new Metric("RSS MiB", false, true);

  /** Round-trip latency percentiles in microseconds. */
  public static final Metric P50 = new Metric("p50 us", false, true);

  /** 99th percentile round trip. */
  public static final Metric P99 = new Metric("p99 us", false, true);

  /** 99.9th percentile round trip. */
  public static final Metric P999 = new Metric("p99.9 us", false, false);

  /** Heap bytes allocated per received datagram, all threads, payload array included. */
  public static final Metric ALLOC = new Metric("alloc B/dgram", false, false);

  /** Heap bytes allocated per received datagram beyond the payload array. */
  public static final Metric ALLOC_BEYOND =
      new Metric("alloc beyond payload B/dgram", false, false);

  /** The payload array's own size on the heap (a 64 B payload is an 80 B byte[]). */
  public static final Metric PAYLOAD_ARRAY = new Metric("payload byte[] B", false, false);

  /** JMH {@code gc.alloc.rate.norm} per delivered datagram. */
  public static final Metric JMH_ALLOC = new Metric("JMH gc.alloc.rate.norm B/dgram", false, false);

  /** JMH allocation beyond the payload array. */
  public static final Metric JMH_ALLOC_BEYOND =
      new Metric("JMH alloc beyond payload B/dgram", false, false);

  /** Rate at N loops divided by the rate at one loop. */
  public static final Metric SCALING = new Metric("scaling vs N=1", true, false);

  /** Milliseconds from createSocket to the first socket's 'listening' in a fresh process. */
  public static final Metric FIRST_LISTENING = new Metric("first 'listening' ms", false, true);

  /** The same for the process's second socket: the warm figure. */
  public static final Metric SECOND_LISTENING = new Metric("second 'listening' ms", false, false);

  /** Milliseconds from a fresh process's first send() to its callback. */
  public static final Metric FIRST_SEND = new Metric("first send ms", false, false);

  /** A process's wall time from start to exit, in milliseconds. */
  public static final Metric WALL_MS = new Metric("wall ms", false, true);

  /** A process's peak resident set (wait4's ru_maxrss), in MiB. */
  public static final Metric PEAK_RSS = new Metric("peak RSS MiB", false, true);
}
