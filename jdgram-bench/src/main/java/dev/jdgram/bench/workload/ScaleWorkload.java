package dev.jdgram.bench.workload;

import dev.jdgram.bench.Subject;
import dev.jdgram.bench.report.Metric;
import java.util.List;

/**
 * Scale: 10,000 sockets bound in one process (500 with --quick), each receiving: the blaster
 * round-robins 64 B datagrams over every port (sendmmsg, one destination per datagram). RSS at the
 * end of the window, and the aggregate rate delivered to the listeners. Node gets {@code ulimit -n}
 * raised; the JVM raises its own soft limit.
 */
final class ScaleWorkload implements Workload {
  @Override
  public String name() {
    return "scale";
  }

  @Override
  public void run(Context ctx, List<Subject> subjects) {
    int sockets = ctx.options().quick() ? 500 : 10_000;
    String variant = sockets + " sockets";
    for (Subject s : subjects) {
      ctx.attempt(
          "scale " + variant + " " + s.id(),
          () -> {
            Receive.Outcome o =
                Receive.run(ctx, s, "scale", List.of("sockets=" + sockets), 64, 1, true);
            ctx.results().add(name(), variant, Metric.DGRAMS, s, o.dgramsPerSec());
            ctx.results().add(name(), variant, Metric.RSS, s, o.rssMib());
            ctx.results().add(name(), variant, Metric.DROPS, s, o.dropsPerSec());
          });
    }
  }
}
