package dev.jdgram.bench.workload;

import dev.jdgram.bench.Subject;
import java.util.List;

/** One workload of the benchmark; {@link #run} measures every subject once (one run). */
public interface Workload {
  /** The name used on the command line and in the table. */
  String name();

  /**
   * Measures each subject once and records the figures.
   *
   * @param ctx the run's context
   * @param subjects the subjects to measure
   */
  void run(Context ctx, List<Subject> subjects);

  /** Called once after every run, to derive figures from the medians. */
  default void finish(Context ctx, List<Subject> subjects) {}

  /**
   * The workload of a name.
   *
   * @param name one of {@code BenchOptions.ALL_WORKLOADS}
   * @return the workload
   */
  static Workload of(String name) {
    return switch (name) {
      case "recv" -> new RecvWorkload();
      case "send" -> new SendWorkload(false);
      case "sendmany" -> new SendWorkload(true);
      case "pingpong" -> new PingPongWorkload();
      case "memory" -> new MemoryWorkload();
      case "scale" -> new ScaleWorkload();
      case "multicore" -> new MulticoreWorkload();
      case "coldstart" -> new ColdStartWorkload();
      default -> throw new IllegalArgumentException("unknown workload " + name);
    };
  }
}
