package dev.jdgram.cli;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The soak's samples: how to take one, how to print it, and the CSV, the SVG chart and the "stays
 * flat" verdict made from all of them.
 */
final class SoakReport {
  static final long MIB = 1 << 20;

  /**
   * Heap after GC may grow by this much, or by {@link #HEAP_GROWTH_FRACTION}, whichever is more.
   */
  static final long HEAP_GROWTH_BYTES = 20 * MIB;

  static final double HEAP_GROWTH_FRACTION = 0.25;
  static final long DIRECT_GROWTH_BYTES = 8 * MIB;
  static final long FD_GROWTH = 20;
  static final long THREAD_GROWTH = 4;

  static final String CSV_HEADER =
      "seconds,heap_after_gc_bytes,direct_bytes,netty_direct_bytes,fds,threads,live_sockets,"
          + "sockets_opened,datagrams_sent,datagrams_received,send_errors,kernel_drops";

  private SoakReport() {}

  /**
   * One sample.
   *
   * @param seconds since the soak started
   * @param heap heap used right after a {@code System.gc()}
   * @param direct the JDK's "direct" buffer pool in use
   * @param nettyDirect the direct memory Netty's default allocator holds, or -1 if unknown
   * @param fds open descriptors in {@code /proc/self/fd}, or -1 where there is none
   * @param threads live threads
   * @param sockets jdgram sockets open
   * @param opened jdgram sockets opened so far
   * @param sent datagrams sent so far, over all the soak's sockets
   * @param received datagrams received so far
   * @param sendErrors sends that failed so far
   * @param kernelDrops datagrams the kernel dropped for the soak's sockets so far
   */
  record Sample(
      long seconds,
      long heap,
      long direct,
      long nettyDirect,
      long fds,
      long threads,
      long sockets,
      long opened,
      long sent,
      long received,
      long sendErrors,
      long kernelDrops) {

    /** The sample's CSV row. */
    String csv() {
      return seconds
          + ","
          + heap
          + ","
          + direct
          + ","
          + nettyDirect
          + ","
          + fds
          + ","
          + threads
          + ","
          + sockets
          + ","
          + opened
          + ","
          + sent
          + ","
          + received
          + ","
          + sendErrors
          + ","
          + kernelDrops;
    }

    /** The sample's line on the terminal. */
    String line() {
      return String.format(
          Locale.ROOT,
          "soak: %4ds heap %6.1f MiB, direct %5.1f MiB (netty %s), fds %d, threads %d,"
              + " sockets %d (opened %d), sent %d, received %d, send errors %d, kernel drops %d",
          seconds,
          heap / (double) MIB,
          direct / (double) MIB,
          nettyDirect < 0
              ? "?"
              : String.format(Locale.ROOT, "%.1f MiB", nettyDirect / (double) MIB),
          fds,
          threads,
          sockets,
          opened,
          sent,
          received,
          sendErrors,
          kernelDrops);
    }
  }

  /** Takes a sample: runs a full GC first, so that the heap figure is what is still reachable. */
  static Sample take(long seconds, SoakTraffic traffic) {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = pool.getMemoryUsed();
      }
    }
    long[] totals = traffic.totals();
    return new Sample(
        seconds,
        heap,
        direct,
        nettyDirect(),
        fds(),
        ManagementFactory.getThreadMXBean().getThreadCount(),
        traffic.liveSockets(),
        traffic.opened(),
        totals[0],
        totals[1],
        totals[2],
        totals[3]);
  }

  /**
   * Netty's pooled direct memory, from its public allocator metric: the JDK's buffer pool does not
   * see Netty's cleaner-less direct buffers, so a leak of pooled buffers shows only here.
   */
  private static long nettyDirect() {
    return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
        ? p.metric().usedDirectMemory()
        : -1;
  }

  private static long fds() {
    Path fd = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fd)) {
      return -1;
    }
    try (Stream<Path> entries = Files.list(fd)) {
      return entries.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The seconds at the start whose samples the verdict leaves out: a tenth, 10 to 30 s. */
  static long warmUpSeconds(long seconds) {
    return Math.min(30, Math.max(10, seconds / 10));
  }

  /**
   * Whether the soak stayed flat: the last third of the samples after warm-up against the first
   * third, on average.
   *
   * @return null if it did (or there are too few samples to tell), else the one-line reason
   */
  static String notFlat(List<Sample> all, long warmUp) {
    List<Sample> samples = all.stream().filter(s -> s.seconds() > warmUp).toList();
    int third = samples.size() / 3;
    if (third == 0) {
      return null;
    }
    List<Sample> first = samples.subList(0, third);
    List<Sample> last = samples.subList(samples.size() - third, samples.size());
    double heap0 = mean(first, Sample::heap);
    double heapGrowth = mean(last, Sample::heap) - heap0;
    double heapBound = Math.max(HEAP_GROWTH_BYTES, HEAP_GROWTH_FRACTION * heap0);
    if (heapGrowth > heapBound) {
      return String.format(
          Locale.ROOT,
          "heap after GC grew %.1f MiB (bound %.1f MiB)",
          heapGrowth / MIB,
          heapBound / MIB);
    }
    double direct = mean(last, Sample::direct) - mean(first, Sample::direct);
    if (direct > DIRECT_GROWTH_BYTES) {
      return String.format(Locale.ROOT, "direct memory grew %.1f MiB (bound 8 MiB)", direct / MIB);
    }
    double netty = mean(last, Sample::nettyDirect) - mean(first, Sample::nettyDirect);
    if (netty > DIRECT_GROWTH_BYTES) {
      return String.format(
          Locale.ROOT, "Netty's direct memory grew %.1f MiB (bound 8 MiB)", netty / MIB);
    }
    double fds = mean(last, Sample::fds) - mean(first, Sample::fds);
    if (fds > FD_GROWTH) {
      return String.format(Locale.ROOT, "open descriptors grew by %.1f (bound %d)", fds, FD_GROWTH);
    }
    double threads = mean(last, Sample::threads) - mean(first, Sample::threads);
    if (threads > THREAD_GROWTH) {
      return String.format(
          Locale.ROOT, "live threads grew by %.1f (bound %d)", threads, THREAD_GROWTH);
    }
    return null;
  }

  /** The growth of each measure, last third against first third, for the summary line. */
  static String growth(List<Sample> all, long warmUp) {
    List<Sample> samples = all.stream().filter(s -> s.seconds() > warmUp).toList();
    int third = samples.size() / 3;
    if (third == 0) {
      return "too few samples after the " + warmUp + " s warm-up to judge flatness";
    }
    List<Sample> first = samples.subList(0, third);
    List<Sample> last = samples.subList(samples.size() - third, samples.size());
    return String.format(
        Locale.ROOT,
        "last third against first: heap %+.1f MiB, direct %+.1f MiB, netty %+.1f MiB,"
            + " fds %+.1f, threads %+.1f",
        (mean(last, Sample::heap) - mean(first, Sample::heap)) / MIB,
        (mean(last, Sample::direct) - mean(first, Sample::direct)) / MIB,
        (mean(last, Sample::nettyDirect) - mean(first, Sample::nettyDirect)) / MIB,
        mean(last, Sample::fds) - mean(first, Sample::fds),
        mean(last, Sample::threads) - mean(first, Sample::threads));
  }

  private static double mean(List<Sample> samples, ToDoubleFunction<Sample> f) {
    return samples.stream().mapToDouble(f).average().orElse(0);
  }

  /** Writes {@code soak.csv} and {@code soak.svg} into {@code dir}, creating it. */
  static void write(Path dir, List<Sample> samples) throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    samples.forEach(s -> csv.append(s.csv()).append('\n'));
    Files.writeString(dir.resolve("soak.csv"), csv, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("soak.svg"), svg(samples), StandardCharsets.UTF_8);
  }

  /** A chart of four panels, one per measure, each scaled from 0 to its own maximum. */
  static String svg(List<Sample> samples) {
    int width = 640;
    int panel = 90;
    int left = 120;
    int plot = width - left - 20;
    List<Series> series =
        List.of(
            new Series("heap after GC", "MiB", s -> s.heap() / (double) MIB, "#1f77b4"),
            new Series(
                "direct (JDK+Netty)",
                "MiB",
                s -> (s.direct() + Math.max(0, s.nettyDirect())) / (double) MIB,
                "#d62728"),
            new Series("descriptors", "", s -> s.fds(), "#2ca02c"),
            new Series("threads", "", s -> s.threads(), "#9467bd"));
    double maxT = samples.stream().mapToLong(Sample::seconds).max().orElse(1);
    StringBuilder svg = new StringBuilder();
    int height = series.size() * panel + 30;
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
            width,
            height));
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      int top = 10 + i * panel;
      int bottom = top + panel - 25;
      double max = samples.stream().mapToDouble(s.value).max().orElse(1);
      double scale = max <= 0 ? 1 : max * 1.1;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"4\" y=\"%d\">%s</text>%n<text x=\"4\" y=\"%d\" fill=\"#666\">0 to"
                  + " %.1f %s</text>%n"
                  + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                  + " stroke=\"#ccc\"/>%n",
              top + 12,
              s.name,
              top + 26,
              scale,
              s.unit,
              left,
              top,
              plot,
              bottom - top));
      StringBuilder points = new StringBuilder();
      for (Sample sample : samples) {
        double x = left + plot * sample.seconds() / maxT;
        double y = bottom - (bottom - top) * s.value.applyAsDouble(sample) / scale;
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n",
              s.color,
              points.toString().trim()));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\">0 s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d"
                + " s</text>%n</svg>%n",
            left,
            height - 8,
            left + plot,
            height - 8,
            (long) maxT));
    return svg.toString();
  }

  private record Series(String name, String unit, ToDoubleFunction<Sample> value, String color) {}
}
