package dev.jdgram.bench.workload;

import dev.jdgram.bench.BenchException;
import dev.jdgram.bench.Subject;
import dev.jdgram.bench.SubjectProcess;
import dev.jdgram.bench.report.Metric;
import dev.jdgram.bench.report.Results;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Memory: the receiver's RSS at the end of the 64 B receive run (reusing the recv workload's run
 * when it ran), heap bytes allocated per received datagram two ways: (a) JMH's GC profiler on the
 * in-process {@code ReceiveBenchmark} ({@code gc.alloc.rate.norm}), (b) the receive subject's own
 * per-thread allocation counters over the window divided by datagrams. The payload array's own size
 * is reported beside them, and the allocation beyond it.
 */
final class MemoryWorkload implements Workload {
  static final int SIZE = 64;
  private static final String VARIANT = "64B";

  @Override
  public String name() {
    return "memory";
  }

  /** Keeps a 64 B recv outcome for this workload, so it need not receive again. */
  @SuppressWarnings("unchecked")
  static void remember(Context ctx, Subject s, Receive.Outcome o) {
    ((Deque<Receive.Outcome>)
            ctx.memo().computeIfAbsent("recv64-" + s.id(), k -> new ArrayDeque<>()))
        .add(o);
  }

  @SuppressWarnings("unchecked")
  private static Receive.Outcome recall(Context ctx, Subject s) {
    Deque<Receive.Outcome> d = (Deque<Receive.Outcome>) ctx.memo().get("recv64-" + s.id());
    return d == null ? null : d.poll();
  }

  @Override
  public void run(Context ctx, List<Subject> subjects) {
    Results results = ctx.results();
    long array = Receive.arrayBytes(SIZE);
    for (Subject s : subjects) {
      ctx.attempt(
          "memory 64B " + s.id(),
          () -> {
            Receive.Outcome o = recall(ctx, s);
            if (o == null) {
              o = Receive.run(ctx, s, "recv", List.of(), SIZE, 1, false);
            }
            results.add(name(), VARIANT, Metric.RSS, s, o.rssMib());
            if (s.isJava() && !Double.isNaN(o.allocPerDgram())) {
              results.add(name(), VARIANT, Metric.ALLOC, s, o.allocPerDgram());
              results.add(name(), VARIANT, Metric.ALLOC_BEYOND, s, o.allocPerDgram() - array);
              results.add(name(), VARIANT, Metric.PAYLOAD_ARRAY, s, array);
            }
          });
    }
    List<String> jmhSubjects = new ArrayList<>();
    for (Subject s : subjects) {
      if (s.isJava()) {
        jmhSubjects.add(s.id());
      }
    }
    if (!jmhSubjects.isEmpty()) {
      ctx.attempt("memory JMH " + String.join(",", jmhSubjects), () -> jmh(ctx, jmhSubjects));
    }
  }

  private void jmh(Context ctx, List<String> subjects) {
    boolean quick = ctx.options().quick();
    try {
      Path csv = Files.createTempFile("jdgram-bench-jmh", ".csv");
      Path out = Files.createTempFile("jdgram-bench-jmh", ".txt");
      try {
        List<String> args =
            new ArrayList<>(
                List.of(
                    "dev.jdgram.bench.jmh.ReceiveBenchmark",
                    "-p",
                    "subject=" + String.join(",", subjects),
                    "-prof",
                    "gc",
                    "-f",
                    "1",
                    "-rf",
                    "csv",
                    "-rff",
                    csv.toString(),
                    "-o",
                    out.toString()));
        if (quick) {
          args.addAll(List.of("-wi", "1", "-i", "1", "-w", "300ms", "-r", "300ms"));
        }
        try (SubjectProcess jmh =
            ctx.start("jmh", ctx.launcher().java(List.of(), "org.openjdk.jmh.Main", args))) {
          int code = jmh.awaitExit(Duration.ofMinutes(quick ? 3 : 15));
          if (code != 0) {
            throw new BenchException("JMH exited " + code + "; its output: " + out);
          }
        }
        long array = Receive.arrayBytes(SIZE);
        int found = 0;
        for (String line : Files.readAllLines(csv)) {
          if (!line.contains(":gc.alloc.rate.norm")) {
            continue;
          }
          List<String> cells = parseCsvLine(line);
          double score = Double.parseDouble(cells.get(4));
          Subject s = Subject.of(cells.get(cells.size() - 1));
          ctx.results().add(name(), VARIANT, Metric.JMH_ALLOC, s, score);
          ctx.results().add(name(), VARIANT, Metric.JMH_ALLOC_BEYOND, s, score - array);
          found++;
        }
        if (found == 0) {
          throw new BenchException("no gc.alloc.rate.norm in JMH's results " + csv);
        }
      } finally {
        Files.deleteIfExists(csv);
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits one line of JMH's CSV (quoted fields, no embedded quotes). */
  static List<String> parseCsvLine(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }
}
