package dev.jdgram.bench.workload;

import dev.jdgram.bench.Subject;
import dev.jdgram.bench.report.Metric;
import java.util.List;

/**
 * Multi-core: one port served by N sockets in one process, each on its own event loop (jdgram:
 * {@code reusePort(true).ownEventLoop(true)}; raw Netty: N channels with SO_REUSEPORT on an
 * N-thread group), fed by N blaster channels with distinct source ports (SO_REUSEPORT spreads by
 * 4-tuple hash), for N = 1..cores; 64 B datagrams. Node 20's dgram has no reusePort (added in Node
 * 22.12/23.1), so Node has no row here; the scaling ratio is rate(N) / rate(1).
 */
final class MulticoreWorkload implements Workload {
  @Override
  public String name() {
    return "multicore";
  }

  private static String variant(int n) {
    return "N=" + n;
  }

  @Override
  public void run(Context ctx, List<Subject> subjects) {
    for (int n = 1; n <= ctx.options().cores(); n++) {
      int loops = n;
      for (Subject s : subjects) {
        if (s == Subject.NODE) {
          continue;
        }
        ctx.attempt(
            "multicore " + variant(n) + " " + s.id(),
            () -> {
              Receive.Outcome o =
                  Receive.run(ctx, s, "multicore", List.of("sockets=" + loops), 64, loops, false);
              ctx.results().add(name(), variant(loops), Metric.DGRAMS, s, o.dgramsPerSec());
              ctx.results().add(name(), variant(loops), Metric.DROPS, s, o.dropsPerSec());
            });
      }
    }
  }

  @Override
  public void finish(Context ctx, List<Subject> subjects) {
    for (int n = 1; n <= ctx.options().cores(); n++) {
      for (Subject s : subjects) {
        double one = ctx.results().median(name(), variant(1), Metric.DGRAMS, s);
        double rate = ctx.results().median(name(), variant(n), Metric.DGRAMS, s);
        if (!Double.isNaN(one) && !Double.isNaN(rate) && one > 0) {
          ctx.results().put(name(), variant(n), Metric.SCALING, s, rate / one);
        }
      }
    }
  }
}
