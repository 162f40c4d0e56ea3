package dev.jdgram.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * {@code jdgram soak [--seconds N] [--sample-every S] [--out DIR]}: runs mixed loopback traffic in
 * this JVM for {@code N} seconds ({@link SoakWorkloads}) and samples, every {@code S} seconds, heap
 * after GC, direct memory, open descriptors, live threads, open sockets and the sockets' {@code
 * stats()} totals ({@link SoakReport}). Prints a line per sample, writes {@code soak.csv} and
 * {@code soak.svg} into {@code DIR}, and exits 1 with a one-line reason if the run did not stay
 * flat (the last third of the samples after warm-up against the first third), if a callback came
 * back twice, a datagram was delivered twice, an exception other than a {@code DgramException}
 * surfaced or reached an uncaught-exception handler, or a socket was left open.
 *
 * @param seconds how long to run
 * @param sampleEvery seconds between samples
 * @param out the directory for {@code soak.csv} and {@code soak.svg}
 */
public record SoakCommand(int seconds, int sampleEvery, Path out) implements Command {
  static final int DEFAULT_SECONDS = 60;
  static final int DEFAULT_SAMPLE_EVERY = 5;
  static final String DEFAULT_OUT = ".";

  /** {@code soak}'s command line. */
  @CommandLine.Command(
      name = "soak",
      description =
          "Run mixed loopback traffic (echo bursts, connect/disconnect, close/reopen, lookups,"
              + " multicast join/leave) and sample heap after GC, direct memory, descriptors and"
              + " threads; exit 1 unless they stay flat. Writes soak.csv and soak.svg.")
  static final class Args implements Grammar.Parsed {
    @CommandLine.Option(
        names = "--seconds",
        paramLabel = "N",
        converter = Grammar.Int32.class,
        description = "how long to run (default 60)")
    Integer seconds;

    @CommandLine.Option(
        names = "--sample-every",
        paramLabel = "S",
        converter = Grammar.Int32.class,
        description = "seconds between samples (default 5)")
    Integer sampleEvery;

    @CommandLine.Option(
        names = "--out",
        paramLabel = "DIR",
        description = "where to write soak.csv and soak.svg (default: the current directory)")
    String out;

    @CommandLine.Mixin Grammar.HelpOption help;

    @Override
    public Command toCommand() throws UsageException {
      int n = seconds == null ? DEFAULT_SECONDS : seconds;
      int s = sampleEvery == null ? DEFAULT_SAMPLE_EVERY : sampleEvery;
      if (n < 1) {
        throw new UsageException("--seconds must be at least 1, not " + n);
      }
      if (s < 1 || s > n) {
        throw new UsageException(
            "--sample-every must be from 1 to --seconds (" + n + "), not " + s);
      }
      String dir = out == null ? DEFAULT_OUT : Arguments.nonEmpty("--out", out);
      return new SoakCommand(n, s, Path.of(dir));
    }
  }

  @Override
  public Execution start(PrintStream out, PrintStream err) {
    CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    CountDownLatch stop = new CountDownLatch(1);
    Thread runner =
        new Thread(
            () -> {
              try {
                exitCode.complete(run(out, err, stop));
              } catch (Throwable e) {
                exitCode.completeExceptionally(e);
              }
            },
            "jdgram-soak");
    runner.start();
    return new Execution(exitCode, stop::countDown);
  }

  private int run(PrintStream out, PrintStream err, CountDownLatch stop)
      throws InterruptedException {
    SoakTraffic traffic = new SoakTraffic(err);
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(traffic::uncaught);
    List<SoakReport.Sample> samples = new ArrayList<>();
    boolean closedAll;
    long start = System.nanoTime();
    SoakWorkloads workloads = new SoakWorkloads(traffic, out);
    try {
      out.println(
          "soak: "
              + seconds
              + " s of loopback traffic, a sample every "
              + sampleEvery
              + " s, output in "
              + out().toAbsolutePath());
      workloads.start();
      for (long t = sampleEvery; t <= seconds; t += sampleEvery) {
        long due = start + TimeUnit.SECONDS.toNanos(t);
        if (stop.await(due - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          break;
        }
        SoakReport.Sample sample = SoakReport.take(t, traffic);
        samples.add(sample);
        out.println(sample.line());
      }
    } finally {
      workloads.stop();
      traffic.awaitEchoes();
      closedAll = traffic.closeAll();
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
    try {
      SoakReport.write(out(), samples);
    } catch (IOException e) {
      err.println("jdgram: cannot write to " + out() + ": " + e.getMessage());
      return Main.EXIT_ERROR;
    }
    long warmUp = SoakReport.warmUpSeconds(seconds);
    out.println(summary(traffic));
    out.println("soak: " + SoakReport.growth(samples, warmUp) + " (warm-up " + warmUp + " s)");
    String problem = problem(traffic, closedAll);
    if (problem == null) {
      problem = SoakReport.notFlat(samples, warmUp);
      problem = problem == null ? null : "not flat: " + problem;
    }
    if (problem != null) {
      err.println("jdgram: soak failed: " + problem);
      return Main.EXIT_ERROR;
    }
    out.println("soak: ok");
    return Main.EXIT_OK;
  }

  /** What must never happen, as a one-line reason; null if none of it did. */
  static String problem(SoakTraffic traffic, boolean closedAll) {
    if (traffic.doubleCallbacks.sum() > 0) {
      return traffic.doubleCallbacks.sum() + " callback(s) came back twice";
    }
    if (traffic.duplicates.sum() > 0) {
      return traffic.duplicates.sum() + " echo(es) delivered twice";
    }
    if (traffic.foreignErrors.sum() > 0) {
      return traffic.foreignErrors.sum() + " error(s) that are not a DgramException";
    }
    if (traffic.uncaught.sum() > 0) {
      return traffic.uncaught.sum() + " exception(s) reached an uncaught-exception handler";
    }
    if (!closedAll) {
      return traffic.liveSockets() + " socket(s) still open after closing them all";
    }
    return null;
  }

  private static String summary(SoakTraffic traffic) {
    long sent = traffic.echoesSent.sum();
    long back = traffic.echoesBack.sum();
    return String.format(
        Locale.ROOT,
        "soak: echoes %d sent, %d back (%d lost, %d duplicated); %d connects; %d sockets opened;"
            + " %d ENOTFOUND lookups as expected; %d multicast joins, %d missed; %d 'error' events,"
            + " %d other unexpected errors, %d stalls",
        sent,
        back,
        Math.max(0, sent - back),
        traffic.duplicates.sum(),
        traffic.connects.sum(),
        traffic.opened(),
        traffic.lookupsFailedAsExpected.sum(),
        traffic.memberships.sum(),
        traffic.multicastMisses.sum(),
        traffic.errorEvents.sum(),
        traffic.unexpectedErrors.sum(),
        traffic.stalls.sum());
  }
}
