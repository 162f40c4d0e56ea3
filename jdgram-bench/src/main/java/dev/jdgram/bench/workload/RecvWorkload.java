package dev.jdgram.bench.workload;

import dev.jdgram.bench.Subject;
import dev.jdgram.bench.report.Metric;
import dev.jdgram.bench.report.Results;
import java.util.List;

/**
 * Receive capacity: a raw Netty GSO blaster outruns the receiver under test at 64 B, 1 KiB and 8
 * KiB; datagrams/s and MB/s delivered to the listener, and the kernel's receive-buffer drops.
 */
final class RecvWorkload implements Workload {
  static final int[] SIZES = {64, 1024, 8192};

  @Override
  public String name() {
    return "recv";
  }

  static String variant(int size) {
    return size >= 1024 ? size / 1024 + "KiB" : size + "B";
  }

  @Override
  public void run(Context ctx, List<Subject> subjects) {
    Results results = ctx.results();
    for (int size : SIZES) {
      for (Subject s : subjects) {
        ctx.attempt(
            "recv " + variant(size) + " " + s.id(),
            () -> {
              Receive.Outcome o = Receive.run(ctx, s, "recv", List.of(), size, 1, false);
              String v = variant(size);
              results.add(name(), v, Metric.DGRAMS, s, o.dgramsPerSec());
              results.add(name(), v, Metric.MBYTES, s, o.mbPerSec());
              results.add(name(), v, Metric.DROPS, s, o.dropsPerSec());
              if (size == 64) {
                MemoryWorkload.remember(ctx, s, o);
              }
            });
      }
    }
  }
}
