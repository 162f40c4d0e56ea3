package dev.jdgram.bench.workload;

import dev.jdgram.bench.BenchException;
import dev.jdgram.bench.BenchOptions;
import dev.jdgram.bench.Launcher;
import dev.jdgram.bench.SubjectProcess;
import dev.jdgram.bench.report.Results;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every workload needs: the options, the launcher, the results, and bounded helpers. */
public final class Context {
  private final BenchOptions options;
  private final Launcher launcher;
  private final Results results;
  private final Path logs;
  private final PrintStream progress;
  private final Map<String, Object> memo = new HashMap<>();
  private int processes;
  private int failures;

  /**
   * Creates the context of one benchmark run.
   *
   * @param options the options
   * @param launcher builds subject command lines
   * @param results where figures go
   * @param progress where progress and failures are reported
   */
  public Context(BenchOptions options, Launcher launcher, Results results, PrintStream progress) {
    this.options = options;
    this.launcher = launcher;
    this.results = results;
    this.logs = options.out().resolve("logs");
    this.progress = progress;
  }

  public BenchOptions options() {
    return options;
  }

  public Launcher launcher() {
    return launcher;
  }

  public Results results() {
    return results;
  }

  /** How many measurements failed (their cells stay empty). */
  public int failures() {
    return failures;
  }

  /** Values shared between workloads of one run, e.g. the 64 B receive runs reused by memory. */
  Map<String, Object> memo() {
    return memo;
  }

  /** Starts a process whose standard error goes to logs/NNN-label.log. */
  SubjectProcess start(String label, List<String> command) {
    try {
      String name =
          String.format("%03d-%s.log", ++processes, label.replaceAll("[^A-Za-z0-9_.-]", "_"));
      return SubjectProcess.start(label, command, logs.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sleeps, bounded, without swallowing an interrupt. */
  void sleep(double seconds) {
    try {
      Thread.sleep(Math.round(seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted");
    }
  }

  /** Prints a progress line. */
  void say(String line) {
    progress.println(line);
    progress.flush();
  }

  /**
   * Runs one measurement. One that fails is run once more from scratch (on a busy machine a subject
   * can miss a short window, as in a --quick run); a second failure is reported and counted and
   * leaves its cells empty, so one flaky subject does not lose a long run.
   */
  void attempt(String what, Runnable measurement) {
    say("  " + what);
    try {
      measurement.run();
    } catch (RuntimeException first) {
      say("  retrying " + what + " after: " + first.getMessage());
      try {
        measurement.run();
      } catch (RuntimeException e) {
        failures++;
        say("  FAILED " + what + ": " + e.getMessage());
      }
    }
  }
}
