package dev.jdgram.bench;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

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
      List.of("recv", "send", "sendmany", "pingpong", "memory", "scale", "multicore", "coldstart");

  /**
   * These options without one subject (e.g. the ceiling where it cannot be built).
   *
   * @param subject the subject to drop
   * @return the options without it
   */
  public BenchOptions without(Subject subject) {
    List<Subject> rest = subjects.stream().filter(s -> s != subject).toList();
    return new BenchOptions(runs, seconds, warmup, workloads, rest, out, cores, quick, node);
  }

  /** The usage text, generated from the options' declarations. */
  public static final String USAGE = BenchArgs.commandLine().getUsageMessage().stripTrailing();

  /**
   * Parses the arguments: {@code --name value} or {@code --name=value}, in any order.
   *
   * @param args the command line
   * @return the options, or null if {@code --help} was asked for
   * @throws IllegalArgumentException for an unknown or malformed option, with a one-line message
   */
  public static BenchOptions parse(String... args) {
    CommandLine line = BenchArgs.commandLine();
    try {
      if (line.parseArgs(args).isUsageHelpRequested()) {
        return null;
      }
    } catch (ParameterException e) {
      throw new IllegalArgumentException(BenchArgs.describe(e), e);
    }
    return line.<BenchArgs>getCommand().toOptions();
  }
}
