package dev.jdgram.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The orchestrator's command line, parsed.
 *
 * @param runs runs per figure; each figure is their median
 * @param seconds length of each measured window
 * @param warmup seconds of load before each window
 * @param workloads the workloads to run, in order
 * @param subjects the subjects to compare
 * @param out where results.csv, results.md and chart.svg go
 * @param cores the largest N of the multicore workload
 * @param quick tiny durations and counts, for smoke tests
 * @param node the {@code node} executable
 */
public record BenchOptions(
    int runs,
    double seconds,
    double warmup,
    List<String> workloads,
    List<Subject> subjects,
    Path out,
    int cores,
    boolean quick,
    String node) {
  /** Every workload, in the order they run. */
  public static final List<String> ALL_WORKLOADS =
      List.of("recv", "send", "sendmany", "pingpong", "memory", "scale", "multicore");

  /** The usage text. */
  public static final String USAGE =
      String.join(
          "\n",
          "Usage: jdgram bench [options]   (or: java -cp <classpath> dev.jdgram.bench.Bench ...)",
          "",
          "Loopback UDP benchmark: jdgram (epoll, NIO) vs Node.js dgram vs raw Netty epoll,",
          "each subject in separate sender and receiver processes.",
          "",
          "  --runs N          runs per figure, the median is reported (default 3)",
          "  --seconds S       measured seconds per run (default 5)",
          "  --warmup S        seconds of load before each measurement (default 2)",
          "  --workloads LIST  comma-separated: "
              + String.join(",", ALL_WORKLOADS)
              + " (default all)",
          "  --subjects LIST   comma-separated: jdgram-epoll,jdgram-nio,node,netty (default all)",
          "  --out DIR         results.csv, results.md, chart.svg, logs/ (default bench-results)",
          "  --cores N         multicore: N = 1..this (default: available processors)",
          "  --node PATH       the node executable (default: node on PATH)",
          "  --quick           tiny durations and counts (smoke test; numbers meaningless)",
          "  --help            this text");

  /**
   * Parses the arguments.
   *
   * @param args the command line
   * @return the options, or null if {@code --help} was asked for
   * @throws IllegalArgumentException for an unknown or malformed option
   */
  public static BenchOptions parse(String... args) {
    int runs = 3;
    Double seconds = null;
    Double warmup = null;
    List<String> workloads = ALL_WORKLOADS;
    List<Subject> subjects = List.of(Subject.values());
    Path out = Path.of("bench-results");
    int cores = Runtime.getRuntime().availableProcessors();
    boolean quick = false;
    String node = "node";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return null;
        }
        case "--quick" -> quick = true;
        case "--runs" -> runs = positive(a, value(args, ++i, a));
        case "--seconds" -> seconds = positiveDouble(a, value(args, ++i, a));
        case "--warmup" -> warmup = nonNegativeDouble(a, value(args, ++i, a));
        case "--cores" -> cores = positive(a, value(args, ++i, a));
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--node" -> node = value(args, ++i, a);
        case "--workloads" -> {
          workloads = new ArrayList<>();
          for (String w : value(args, ++i, a).split(",")) {
            String t = w.trim();
            if (!ALL_WORKLOADS.contains(t)) {
              throw new IllegalArgumentException(
                  "unknown workload '" + t + "' (" + String.join(",", ALL_WORKLOADS) + ")");
            }
            workloads.add(t);
          }
        }
        case "--subjects" -> {
          subjects = new ArrayList<>();
          List<String> names = Arrays.asList(value(args, ++i, a).split(","));
          for (Subject s : Subject.values()) {
            // Canonical order, whatever the order given, so columns are stable.
            if (names.stream().anyMatch(n -> n.trim().equals(s.id()))) {
              subjects.add(s);
            }
          }
          for (String n : names) {
            Subject.of(n); // rejects unknown names
          }
        }
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    double s = seconds != null ? seconds : quick ? 0.3 : 5;
    // Quick runs still warm up for 1 s: raw Netty's receivers need about that long on fresh loop
    // threads (multicore N=2, measured: 0-5k datagrams/s after 0.2 s, 0.4 M/s after 1 s).
    double w = warmup != null ? warmup : quick ? 1 : 2;
    return new BenchOptions(
        runs, s, w, List.copyOf(workloads), List.copyOf(subjects), out, cores, quick, node);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException("missing value for " + option);
    }
    return args[i];
  }

  private static int positive(String option, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(option + " needs a positive integer, got '" + v + "'");
  }

  private static double positiveDouble(String option, String v) {
    double d = nonNegativeDouble(option, v);
    if (d == 0) {
      throw new IllegalArgumentException(option + " needs a positive number, got '" + v + "'");
    }
    return d;
  }

  private static double nonNegativeDouble(String option, String v) {
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(option + " needs a number, got '" + v + "'");
  }
}
