package dev.jdgram.bench.workload;

import dev.jdgram.bench.BenchException;
import dev.jdgram.bench.ProcFs;
import dev.jdgram.bench.Subject;
import dev.jdgram.bench.SubjectProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One receive measurement: the receiver under test in its own process, and the blaster (raw Netty
 * epoll with UDP GSO, or sendmmsg round-robin over many ports) in another, sending flat out, faster
 * than any receiver. After the warm-up, the window is MARK..STOP on the receiver's own clock; the
 * kernel's drops for the receiver's ports and its RSS are read at the window's edges.
 */
final class Receive {
  /** UDP GSO allows 64 segments per send, and at most a 64 KiB datagram before segmentation. */
  static int gsoSegments(int size) {
    return Math.max(1, Math.min(64, 65_507 / size));
  }

  /**
   * What one receive run measured.
   *
   * @param dgramsPerSec datagrams delivered to the listener per second
   * @param mbPerSec payload megabytes (10^6) delivered per second
   * @param dropsPerSec kernel receive-buffer drops per second
   * @param rssMib the receiver's resident set at the end of the window
   * @param allocPerDgram heap bytes allocated by the receiver's threads per datagram (-1: unknown)
   * @param count datagrams delivered in the window
   */
  record Outcome(
      double dgramsPerSec,
      double mbPerSec,
      double dropsPerSec,
      double rssMib,
      double allocPerDgram,
      long count) {}

  private Receive() {}

  /**
   * Runs one receive measurement.
   *
   * @param ctx the context
   * @param subject the receiver under test
   * @param mode its mode: recv, scale or multicore
   * @param params its parameters
   * @param size datagram payload bytes
   * @param senders blaster channels (distinct source ports)
   * @param manyPorts whether the receiver writes its ports to a file and the blaster round-robins
   */
  static Outcome run(
      Context ctx,
      Subject subject,
      String mode,
      List<String> params,
      int size,
      int senders,
      boolean manyPorts) {
    Path portsFile = null;
    try {
      List<String> p = new ArrayList<>(params);
      if (manyPorts) {
        portsFile = Files.createTempFile("jdgram-bench-ports", ".txt");
        p.add("portsFile=" + portsFile);
      }
      Duration readyTimeout = Duration.ofSeconds(manyPorts ? 180 : 60);
      try (SubjectProcess receiver =
          ctx.start(subject.id() + "-" + mode, ctx.launcher().subject(subject, mode, p))) {
        Map<String, String> ready = receiver.awaitReady(readyTimeout);
        Set<Integer> ports = new HashSet<>();
        List<String> blast = new ArrayList<>();
        if (manyPorts) {
          for (String line : Files.readAllLines(portsFile)) {
            if (!line.isBlank()) {
              ports.add(Integer.parseInt(line.trim()));
            }
          }
          blast.add("portsFile=" + portsFile);
        } else {
          int port = Integer.parseInt(ready.get("port"));
          ports.add(port);
          blast.add("port=" + port);
        }
        blast.add("size=" + size);
        blast.add("gso=" + (manyPorts ? 1 : gsoSegments(size)));
        blast.add("channels=" + senders);
        blast.add("window=1024");
        try (SubjectProcess blaster = ctx.start("blaster", ctx.launcher().blaster(blast))) {
          blaster.awaitReady(Duration.ofSeconds(60));
          ctx.sleep(ctx.options().warmup());
          long drops0 = ProcFs.drops(ports);
          receiver.mark();
          ctx.sleep(ctx.options().seconds());
          long rssKb = ProcFs.rssKb(receiver.pid());
          long drops1 = ProcFs.drops(ports);
          Map<String, String> r = receiver.stop(Duration.ofSeconds(30));
          long count = Long.parseLong(r.get("count"));
          long bytes = Long.parseLong(r.get("bytes"));
          double secs = Long.parseLong(r.get("nanos")) / 1e9;
          long alloc = Long.parseLong(r.getOrDefault("alloc", "-1"));
          if (count <= 0) {
            throw new BenchException(subject.id() + " received nothing in the window");
          }
          return new Outcome(
              count / secs,
              bytes / secs / 1e6,
              drops0 < 0 ? Double.NaN : (drops1 - drops0) / secs,
              rssKb < 0 ? Double.NaN : rssKb / 1024.0,
              alloc < 0 ? Double.NaN : (double) alloc / count,
              count);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (portsFile != null) {
        try {
          Files.deleteIfExists(portsFile);
        } catch (IOException e) {
          // a temp file
        }
      }
    }
  }

  /**
   * The size of a byte[] of {@code n} elements on a 64-bit HotSpot heap: 16 B header, 8-aligned.
   */
  static long arrayBytes(int n) {
    return (16 + n + 7) & ~7L;
  }
}
