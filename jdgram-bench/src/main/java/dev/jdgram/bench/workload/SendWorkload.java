package dev.jdgram.bench.workload;

import dev.jdgram.bench.BenchException;
import dev.jdgram.bench.ProcFs;
import dev.jdgram.bench.Subject;
import dev.jdgram.bench.SubjectProcess;
import dev.jdgram.bench.report.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Send capacity: the sender under test keeps a window of sends in flight, refilled from their
 * callbacks (Node: from setImmediate), into a sink that reads a non-blocking JDK DatagramChannel in
 * a spin loop and never sleeps, so the figure is the sender's and not the cost of waking a receiver
 * (NETTY-NOTES). The rate is the sender's completed sends per second; the sink's count is reported
 * beside it.
 *
 * <p>{@code sendmany} is the batch row at 64 B: jdgram's {@code sendMany} (64 datagrams a call),
 * Node's plain {@code send} (it has no batch call), raw Netty with UDP GSO (64 segments a call),
 * the ceiling with UDP GSO (64 segments a call; its send row is one sendto per datagram).
 */
final class SendWorkload implements Workload {
  static final int WINDOW = 128;
  static final int BATCH = 64;
  private static final int[] SIZES = {64, 1024};
  private final boolean many;

  SendWorkload(boolean many) {
    this.many = many;
  }

  @Override
  public String name() {
    return many ? "sendmany" : "send";
  }

  @Override
  public void run(Context ctx, List<Subject> subjects) {
    int[] sizes = many ? new int[] {64} : SIZES;
    for (int size : sizes) {
      for (Subject s : subjects) {
        String variant = RecvWorkload.variant(size);
        ctx.attempt(name() + " " + variant + " " + s.id(), () -> measure(ctx, s, size, variant));
      }
    }
  }

  private void measure(Context ctx, Subject s, int size, String variant) {
    try (SubjectProcess sink = ctx.start("sink", ctx.launcher().sink())) {
      int port = Integer.parseInt(sink.awaitReady(Duration.ofSeconds(60)).get("port"));
      String mode = "send";
      List<String> params =
          List.of("port=" + port, "size=" + size, "window=" + WINDOW, "batch=" + BATCH);
      if (many
          && (s == Subject.JDGRAM_EPOLL
              || s == Subject.JDGRAM_NIO
              || s == Subject.JDGRAM_IO_URING)) {
        mode = "sendmany";
        // Four sendMany calls in flight, each refilled from its callback.
        params = List.of("port=" + port, "size=" + size, "window=" + 4 * BATCH, "batch=" + BATCH);
      } else if (many && s == Subject.CEILING) {
        // UDP GSO, 64 segments a call, as jdgram's sendMany and raw Netty do: the kernel's best.
        mode = "sendmany";
        params = List.of("port=" + port, "size=" + size, "batch=" + BATCH, "gso=1");
      } else if (many && s == Subject.NETTY) {
        params =
            List.of(
                "port=" + port,
                "size=" + size,
                "window=" + WINDOW * BATCH,
                "gso=" + Receive.gsoSegments(size));
      }
      try (SubjectProcess sender =
          ctx.start(s.id() + "-" + mode, ctx.launcher().subject(s, mode, params))) {
        sender.awaitReady(Duration.ofSeconds(60));
        ctx.sleep(ctx.options().warmup());
        long drops0 = ProcFs.drops(Set.of(port));
        sink.mark();
        sender.mark();
        ctx.sleep(ctx.options().seconds());
        Map<String, String> r = sender.stop(Duration.ofSeconds(30));
        Map<String, String> k = sink.stop(Duration.ofSeconds(30));
        long drops1 = ProcFs.drops(Set.of(port));
        long count = Long.parseLong(r.get("count"));
        double secs = Long.parseLong(r.get("nanos")) / 1e9;
        double sinkSecs = Long.parseLong(k.get("nanos")) / 1e9;
        if (count <= 0) {
          throw new BenchException(s.id() + " completed no send in the window");
        }
        ctx.results().add(name(), variant, Metric.DGRAMS, s, count / secs);
        ctx.results()
            .add(name(), variant, Metric.SINK_DGRAMS, s, Long.parseLong(k.get("count")) / sinkSecs);
        ctx.results().add(name(), variant, Metric.DROPS, s, (drops1 - drops0) / sinkSecs);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
