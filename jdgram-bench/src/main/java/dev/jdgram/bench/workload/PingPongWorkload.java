package dev.jdgram.bench.workload;

import dev.jdgram.bench.Subject;
import dev.jdgram.bench.SubjectProcess;
import dev.jdgram.bench.report.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Ping-pong latency: one 64 B datagram in flight between a client and an echo server, both of the
 * subject, each its own process. After a warm-up, at least 100,000 round trips are timed one by one
 * (System.nanoTime / process.hrtime.bigint) and sorted; p50, p99 and p99.9 in microseconds.
 */
final class PingPongWorkload implements Workload {
  @Override
  public String name() {
    return "pingpong";
  }

  @Override
  public void run(Context ctx, List<Subject> subjects) {
    boolean quick = ctx.options().quick();
    int warmup = quick ? 500 : 20_000;
    int count = quick ? 2_000 : 100_000;
    for (Subject s : subjects) {
      ctx.attempt(
          "pingpong 64B " + s.id(),
          () -> {
            try (SubjectProcess server =
                ctx.start(s.id() + "-echo", ctx.launcher().subject(s, "echo", List.of()))) {
              String port = server.awaitReady(Duration.ofSeconds(60)).get("port");
              List<String> params =
                  List.of("port=" + port, "size=64", "warmup=" + warmup, "count=" + count);
              try (SubjectProcess client =
                  ctx.start(s.id() + "-ping", ctx.launcher().subject(s, "ping", params))) {
                Map<String, String> r = client.awaitResult(Duration.ofSeconds(quick ? 60 : 300));
                ctx.results().add(name(), "64B", Metric.P50, s, Double.parseDouble(r.get("p50")));
                ctx.results().add(name(), "64B", Metric.P99, s, Double.parseDouble(r.get("p99")));
                ctx.results().add(name(), "64B", Metric.P999, s, Double.parseDouble(r.get("p999")));
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
