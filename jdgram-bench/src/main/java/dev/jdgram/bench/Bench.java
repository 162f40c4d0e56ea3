package dev.jdgram.bench;

import dev.jdgram.bench.report.Reports;
import dev.jdgram.bench.report.Results;
import dev.jdgram.bench.workload.Context;
import dev.jdgram.bench.workload.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;

/**
 * The benchmark orchestrator: runs the chosen workloads against the chosen subjects, each subject
 * in separate processes (sender and receiver), {@code --runs} times, and writes the medians as a
 * table (results.md), a CSV (results.csv) and a chart (chart.svg), with ratios to Node.js from the
 * same run. See jdgram-bench/README.md.
 *
 * <p>This class is the module's entry point for other programs: {@link #command()} gives the
 * command-line grammar to mount (the {@code jdgram} command's {@code bench}), {@link #run} runs.
 */
public final class Bench {
  private Bench() {}

  /**
   * Runs the benchmark and exits: 0 if every measurement succeeded, 1 if some failed, 2 on a usage
   * error.
   *
   * @param args see {@link BenchOptions#USAGE}
   */
  public static void main(String... args) {
    System.exit(run(System.out, System.err, args));
  }

  /**
   * Returns a fresh picocli parser of the benchmark's options, for a command that offers {@code
   * bench} as a subcommand: parsing with it checks every option, as {@link #run} would, without
   * running anything, and its help and shell completion list them.
   *
   * @return a new parser, named {@code bench}
   */
  public static CommandLine command() {
    return BenchArgs.commandLine();
  }

  /**
   * Runs the benchmark without exiting the JVM.
   *
   * @param out progress and the final table
   * @param err usage errors
   * @param args see {@link BenchOptions#USAGE}
   * @return 0 if every measurement succeeded, 1 if some failed, 2 on a usage error
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("jdgram bench: " + e.getMessage());
      err.println(BenchOptions.USAGE);
      return 2;
    }
    if (options == null) {
      out.println(BenchOptions.USAGE);
      return 0;
    }
    Results results = new Results();
    Launcher launcher = new Launcher(options.node());
    if (options.subjects().contains(Subject.CEILING) || options.workloads().contains("coldstart")) {
      // coldstart also uses the program's run mode to measure other commands' peak RSS.
      launcher.ceiling(Ceiling.build(options.out().resolve("ceiling"), out));
      if (!launcher.hasCeiling()) {
        options = options.without(Subject.CEILING);
      }
    }
    Context ctx = new Context(options, launcher, results, out);
    Instant start = Instant.now();
    out.printf(
        "jdgram bench: %s; subjects %s; %d run(s) of %.1f s (+%.1f s warm-up); %d cores%n",
        String.join(",", options.workloads()),
        String.join(",", options.subjects().stream().map(Subject::id).toList()),
        options.runs(),
        options.seconds(),
        options.warmup(),
        Runtime.getRuntime().availableProcessors());
    for (String name : options.workloads()) {
      Workload w = Workload.of(name);
      List<Subject> taking = options.subjects().stream().filter(s -> s.takesPartIn(name)).toList();
      for (int r = 1; r <= options.runs(); r++) {
        out.printf("[%s] run %d/%d%n", name, r, options.runs());
        w.run(ctx, taking);
      }
      w.finish(ctx, taking);
    }
    String title =
        String.format(
            "jdgram bench, %s, median of %d run(s) of %.1f s, %d cores",
            options.quick() ? "QUICK (smoke test, numbers meaningless)" : "loopback",
            options.runs(),
            options.seconds(),
            Runtime.getRuntime().availableProcessors());
    List<Subject> subjects = options.subjects();
    try {
      Reports.write(options.out(), results, subjects, title);
    } catch (IOException e) {
      err.println("jdgram bench: cannot write results to " + options.out() + ": " + e);
      return 1;
    }
    out.println();
    out.println(Reports.markdown(results, subjects, title));
    out.printf(
        "Wrote %s, %s, %s (subject logs in %s) in %d s.%n",
        options.out().resolve("results.csv"),
        options.out().resolve("results.md"),
        options.out().resolve("chart.svg"),
        options.out().resolve("logs"),
        Duration.between(start, Instant.now()).toSeconds());
    if (ctx.failures() > 0) {
      out.println(ctx.failures() + " measurement(s) FAILED; see the lines marked FAILED above.");
      return 1;
    }
    return 0;
  }
}
