package dev.jdgram.micrometer;

import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Meters for one socket, read from its {@link DgramSocket#stats()} and send queue: bind it to a
 * registry and every scrape reports what the socket received, sent and dropped.
 *
 * <pre>{@code
 * DgramSocket socket = Dgram.createSocket("udp4");
 * new DgramSocketMetrics(socket, Tags.of("socket", "statsd")).bindTo(registry);
 * }</pre>
 *
 * <p>The meters, each with the given tags:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Base unit</th><th>Reads</th></tr>
 *   <tr><td>{@code jdgram.datagrams.received}</td><td>counter</td><td>datagrams</td>
 *       <td>{@link SocketStats#datagramsReceived()}</td></tr>
 *   <tr><td>{@code jdgram.bytes.received}</td><td>counter</td><td>bytes</td>
 *       <td>{@link SocketStats#bytesReceived()}</td></tr>
 *   <tr><td>{@code jdgram.datagrams.sent}</td><td>counter</td><td>datagrams</td>
 *       <td>{@link SocketStats#datagramsSent()}</td></tr>
 *   <tr><td>{@code jdgram.bytes.sent}</td><td>counter</td><td>bytes</td>
 *       <td>{@link SocketStats#bytesSent()}</td></tr>
 *   <tr><td>{@code jdgram.send.errors}</td><td>counter</td><td>datagrams</td>
 *       <td>{@link SocketStats#sendErrors()}: every failed send, refused ones included</td></tr>
 *   <tr><td>{@code jdgram.send.refused}, {@code reason=block.list}</td><td>counter</td>
 *       <td>datagrams</td><td>{@link SocketStats#sendBlocked()}</td></tr>
 *   <tr><td>{@code jdgram.send.refused}, {@code reason=queue.limit}</td><td>counter</td>
 *       <td>datagrams</td><td>{@link SocketStats#sendQueueRefused()}</td></tr>
 *   <tr><td>{@code jdgram.receive.blocked}</td><td>counter</td><td>datagrams</td>
 *       <td>{@link SocketStats#receiveBlocked()}</td></tr>
 *   <tr><td>{@code jdgram.receive.kernel.drops}</td><td>counter</td><td>datagrams</td>
 *       <td>{@link SocketStats#kernelDrops()}; NaN where the kernel does not say (-1)</td></tr>
 *   <tr><td>{@code jdgram.send.queue.size}</td><td>gauge</td><td>bytes</td>
 *       <td>{@link DgramSocket#getSendQueueSize()}; 0 once closed</td></tr>
 *   <tr><td>{@code jdgram.send.queue.count}</td><td>gauge</td><td>datagrams</td>
 *       <td>{@link DgramSocket#getSendQueueCount()}; 0 once closed</td></tr>
 * </table>
 *
 * <p>All the counters of a socket share one reading of {@code stats()}, taken at most once a
 * second: the meters of one scrape read it once (on Linux it asks the kernel for its drop count, a
 * system call on epoll, a read of {@code /proc/net/udp} on NIO), not once per meter. After the
 * socket closes, the counters keep their final values and the gauges read 0; remove the meters from
 * the registry when they are no longer wanted. The meters hold the socket weakly, as Micrometer's
 * do: once the socket is garbage-collected they report NaN.
 *
 * <h2>Threading</h2>
 *
 * Safe from any thread: the registry may read the meters from its own.
 *
 * @since 0.1.0
 */
public final class DgramSocketMetrics implements MeterBinder {
  private static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

  private final DgramSocket socket;
  private final Tags tags;
  private final long maxAgeNanos;

  /**
   * Meters for {@code socket} with no tags of their own: for a process with one socket.
   *
   * @param socket the socket to measure
   * @throws NullPointerException if {@code socket} is null
   */
  public DgramSocketMetrics(DgramSocket socket) {
    this(socket, Tags.empty());
  }

  /**
   * Meters for {@code socket}, each with {@code tags} (such as {@code socket=statsd}) to tell
   * several sockets apart.
   *
   * @param socket the socket to measure
   * @param tags the tags of every meter
   * @throws NullPointerException if {@code socket} or {@code tags} is null
   */
  public DgramSocketMetrics(DgramSocket socket, Iterable<Tag> tags) {
    this(socket, tags, DEFAULT_MAX_AGE);
  }

  /** With how old a reading of stats() may be when a meter reads it (tests use zero). */
  DgramSocketMetrics(DgramSocket socket, Iterable<Tag> tags, Duration maxAge) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    this.maxAgeNanos = maxAge.toNanos();
  }

  /**
   * Registers the socket's meters with {@code registry}.
   *
   * @param registry where the meters go
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    StatsReading stats = new StatsReading(maxAgeNanos);
    counter(
        registry,
        stats,
        "jdgram.datagrams.received",
        "datagrams",
        Tags.empty(),
        "Datagrams received and emitted as 'message'",
        SocketStats::datagramsReceived);
    counter(
        registry,
        stats,
        "jdgram.bytes.received",
        "bytes",
        Tags.empty(),
        "Payload bytes of the datagrams received",
        SocketStats::bytesReceived);
    counter(
        registry,
        stats,
        "jdgram.datagrams.sent",
        "datagrams",
        Tags.empty(),
        "Datagrams the kernel accepted",
        SocketStats::datagramsSent);
    counter(
        registry,
        stats,
        "jdgram.bytes.sent",
        "bytes",
        Tags.empty(),
        "Payload bytes of the datagrams sent",
        SocketStats::bytesSent);
    counter(
        registry,
        stats,
        "jdgram.send.errors",
        "datagrams",
        Tags.empty(),
        "Sends that failed, refused ones included",
        SocketStats::sendErrors);
    counter(
        registry,
        stats,
        "jdgram.send.refused",
        "datagrams",
        Tags.of("reason", "block.list"),
        "Sends refused before they reached the kernel",
        SocketStats::sendBlocked);
    counter(
        registry,
        stats,
        "jdgram.send.refused",
        "datagrams",
        Tags.of("reason", "queue.limit"),
        "Sends refused before they reached the kernel",
        SocketStats::sendQueueRefused);
    counter(
        registry,
        stats,
        "jdgram.receive.blocked",
        "datagrams",
        Tags.empty(),
        "Datagrams dropped because the receiveBlockList holds the sender",
        SocketStats::receiveBlocked);
    FunctionCounter.builder("jdgram.receive.kernel.drops", socket, s -> kernelDrops(stats.of(s)))
        .baseUnit("datagrams")
        .description("Datagrams the kernel dropped for the socket (NaN where it does not say)")
        .tags(tags)
        .register(registry);
    gauge(
        registry,
        "jdgram.send.queue.size",
        "bytes",
        "Bytes sent but not yet handed to the kernel",
        DgramSocketMetrics::queueSize);
    gauge(
        registry,
        "jdgram.send.queue.count",
        "datagrams",
        "Datagrams sent but not yet handed to the kernel",
        DgramSocketMetrics::queueCount);
  }

  private void counter(
      MeterRegistry registry,
      StatsReading stats,
      String name,
      String unit,
      Tags extra,
      String description,
      ToLongFunction<SocketStats> field) {
    FunctionCounter.builder(name, socket, s -> field.applyAsLong(stats.of(s)))
        .baseUnit(unit)
        .description(description)
        .tags(tags.and(extra))
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String unit,
      String description,
      ToDoubleFunction<DgramSocket> value) {
    Gauge.builder(name, socket, value)
        .baseUnit(unit)
        .description(description)
        .tags(tags)
        .register(registry);
  }

  /** The kernel's drop count, or NaN where the kernel does not say. */
  static double kernelDrops(SocketStats stats) {
    return stats.kernelDrops() < 0 ? Double.NaN : stats.kernelDrops();
  }

  /** getSendQueueSize, or 0 once closed (Node throws ERR_SOCKET_DGRAM_NOT_RUNNING then). */
  private static double queueSize(DgramSocket s) {
    try {
      return s.getSendQueueSize();
    } catch (DgramException closed) {
      return 0;
    }
  }

  private static double queueCount(DgramSocket s) {
    try {
      return s.getSendQueueCount();
    } catch (DgramException closed) {
      return 0;
    }
  }

  /**
   * One socket's latest stats(), shared by its counters and read again once older than the maximum
   * age. It holds no reference to the socket, so the meters' weak reference decides.
   */
  private static final class StatsReading {
    private final long maxAgeNanos;
    private volatile Reading last;

    private record Reading(long at, SocketStats stats) {}

    StatsReading(long maxAgeNanos) {
      this.maxAgeNanos = maxAgeNanos;
    }

    SocketStats of(DgramSocket socket) {
      long now = System.nanoTime();
      Reading r = last;
      if (r == null || now - r.at >= maxAgeNanos) {
        r = new Reading(now, socket.stats());
        last = r; // two threads racing both read; either reading is as good
      }
      return r.stats;
    }
  }
}
