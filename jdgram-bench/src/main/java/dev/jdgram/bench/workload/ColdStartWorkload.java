package dev.jdgram.bench.workload;

import dev.jdgram.bench.BenchException;
import dev.jdgram.bench.Subject;
import dev.jdgram.bench.SubjectProcess;
import dev.jdgram.bench.report.Metric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold start, each figure from fresh processes (5 a run, 1 with --quick; the median over all):
 *
 * <ul>
 *   <li><b>first socket</b>: a fresh process creates its first socket and binds it, as an
 *       application would; milliseconds from createSocket to 'listening' (jdgram: {@code ColdStart}
 *       on the class path with the subjects' JVM flags; Node: {@code subject.js coldstart}; the
 *       ceiling: socket() + bind()), the same for a second socket, the first send (to the second
 *       socket) to its callback, and the process's wall time and peak RSS. The variant <b>first
 *       socket, AppCDS + C1</b> runs jdgram on epoll with a class-data-sharing archive of the
 *       probe's own classes (made by a training run) and the JIT flags of a one-shot command: what
 *       an application can have without a library change.
 *   <li><b>send one-shot</b>: the CLI's {@code jdgram send hi PORT 127.0.0.1} (through {@code
 *       jdgram-cli/bin/jdgram} when the benchmark runs from it, which says where it is in {@code
 *       JDGRAM_CLI}; otherwise {@code java -cp} the CLI's main class when it is on the class path,
 *       with no launcher flags) against {@code node -e} doing the same send, and the ceiling's
 *       one-shot: wall time and peak RSS of the whole process.
 * </ul>
 *
 * <p>Wall time and peak RSS come from the ceiling program's {@code run} mode (fork, exec, wait4);
 * without gcc, wall time is measured from this JVM (a few milliseconds more) and RSS is not.
 */
final class ColdStartWorkload implements Workload {
  static final String FIRST = "first socket";
  static final String FIRST_TUNED = "first socket, AppCDS + C1";
  static final String ONE_SHOT = "send one-shot";

  /** The flags of {@code jdgram-cli/bin/jdgram} for a one-shot command, bar the archive. */
  static final List<String> ONE_SHOT_FLAGS =
      List.of("-XX:TieredStopAtLevel=1"); // the library itself turns Netty's JFR events off

  private static final String PROBE = "dev.jdgram.bench.subject.JdgramSubject";
  private static final String CLI_MAIN = "dev.jdgram.cli.Main";
  private static final String NODE_SEND =
      "const s=require('node:dgram').createSocket('udp4');"
          + "s.send('hi',+process.argv[1],'127.0.0.1',(e)=>{s.close();if(e)process.exit(1)})";

  @Override
  public String name() {
    return "coldstart";
  }

  @Override
  public void run(Context ctx, List<Subject> subjects) {
    int samples = ctx.options().quick() ? 1 : 5;
    for (Subject s : subjects) {
      ctx.attempt(
          "coldstart first socket " + s.id() + " x" + samples,
          () -> {
            for (int i = 0; i < samples; i++) {
              firstSocket(ctx, s, FIRST, null);
            }
          });
    }
    if (subjects.contains(Subject.JDGRAM_EPOLL) && classPathHasDirectory(ctx)) {
      ctx.say(
          "  coldstart: the AppCDS variant skipped, the class path holds directories and"
              + " class-data sharing archives classes from jars only (run from the jar)");
    } else if (subjects.contains(Subject.JDGRAM_EPOLL)) {
      ctx.attempt(
          "coldstart first socket, AppCDS + C1, jdgram-epoll x" + samples,
          () -> {
            List<String> flags = tunedFlags(ctx);
            for (int i = 0; i < samples; i++) {
              firstSocket(
                  ctx,
                  Subject.JDGRAM_EPOLL,
                  FIRST_TUNED,
                  ctx.launcher().java(flags, PROBE, List.of("coldstart")));
            }
          });
    }
    List<String> cli = cliCommand(ctx);
    if (cli == null && subjects.contains(Subject.JDGRAM_EPOLL)) {
      ctx.say(
          "  coldstart: send one-shot of jdgram skipped, the CLI is neither in JDGRAM_CLI nor on"
              + " the class path (run the benchmark as jdgram-cli/bin/jdgram bench)");
    }
    for (Subject s : subjects) {
      // The CLI runs on its default transport: its one-shot counts as jdgram-epoll's.
      if (s == Subject.JDGRAM_NIO
          || s == Subject.JDGRAM_IO_URING
          || (s == Subject.JDGRAM_EPOLL && cli == null)) {
        continue;
      }
      ctx.attempt(
          "coldstart send one-shot " + s.id() + " x" + samples,
          () -> {
            for (int i = 0; i < samples; i++) {
              oneShot(ctx, s, cli);
            }
          });
    }
  }

  /** One fresh process's first (and second) socket, its wall time and peak RSS. */
  private void firstSocket(Context ctx, Subject s, String variant, List<String> javaCommand) {
    try {
      List<String> cmd =
          javaCommand != null ? javaCommand : ctx.launcher().subject(s, "coldstart", List.of());
      Measured m = measure(ctx, s.id() + "-coldstart", cmd, true);
      ctx.results().add(name(), variant, Metric.FIRST_LISTENING, s, m.listeningMs);
      ctx.results().add(name(), variant, Metric.SECOND_LISTENING, s, m.secondMs);
      ctx.results().add(name(), variant, Metric.FIRST_SEND, s, m.sendMs);
      ctx.results().add(name(), variant, Metric.WALL_MS, s, m.wallMs);
      if (!Double.isNaN(m.peakRssMib)) {
        ctx.results().add(name(), variant, Metric.PEAK_RSS, s, m.peakRssMib);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One fresh process sending one datagram to a bound port: wall time and peak RSS. */
  private void oneShot(Context ctx, Subject s, List<String> cli) {
    try (DatagramChannel target = DatagramChannel.open()) {
      target.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      String port = Integer.toString(((InetSocketAddress) target.getLocalAddress()).getPort());
      List<String> cmd = new ArrayList<>();
      switch (s) {
        case JDGRAM_EPOLL -> {
          cmd.addAll(cli);
          cmd.addAll(List.of("send", "hi", port, "127.0.0.1"));
        }
        case NODE -> cmd.addAll(List.of(ctx.launcher().node(), "-e", NODE_SEND, port));
        case CEILING -> cmd.addAll(ctx.launcher().subject(s, "coldstart", List.of("port=" + port)));
        default -> throw new IllegalArgumentException("no one-shot send for " + s.id());
      }
      Measured m = measure(ctx, s.id() + "-oneshot", cmd, false);
      ctx.results().add(name(), ONE_SHOT, Metric.WALL_MS, s, m.wallMs);
      if (!Double.isNaN(m.peakRssMib)) {
        ctx.results().add(name(), ONE_SHOT, Metric.PEAK_RSS, s, m.peakRssMib);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Measured(
      double listeningMs, double secondMs, double sendMs, double wallMs, double peakRssMib) {}

  /**
   * Runs a command to its end, under the ceiling program's run mode when it was built; {@code
   * probe} commands print {@code RESULT listening_ms=... second_ms=...}.
   */
  private static Measured measure(Context ctx, String label, List<String> command, boolean probe) {
    boolean runner = ctx.launcher().hasCeiling();
    List<String> cmd = runner ? ctx.launcher().measured(command) : command;
    Duration timeout = Duration.ofSeconds(120);
    long t0 = System.nanoTime();
    try (SubjectProcess p = ctx.start(label, cmd)) {
      double listening = Double.NaN;
      double second = Double.NaN;
      double send = Double.NaN;
      if (probe) {
        Map<String, String> r = p.awaitResult(timeout);
        listening = Double.parseDouble(r.get("listening_ms"));
        second = Double.parseDouble(r.get("second_ms"));
        send = Double.parseDouble(r.get("send_ms"));
      }
      if (runner) {
        Map<String, String> m = p.await("MEASURED", timeout);
        if (!"0".equals(m.get("status"))) {
          throw new BenchException(label + " exited " + m.get("status"));
        }
        return new Measured(
            listening,
            second,
            send,
            Double.parseDouble(m.get("wall_ms")),
            Long.parseLong(m.get("maxrss_kb")) / 1024.0);
      }
      int code = p.awaitExit(timeout);
      double wall = (System.nanoTime() - t0) / 1e6;
      if (code != 0) {
        throw new BenchException(label + " exited " + code);
      }
      return new Measured(listening, second, send, wall, Double.NaN);
    }
  }

  private static boolean classPathHasDirectory(Context ctx) {
    for (String entry : ctx.launcher().classPath().split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isDirectory(Path.of(entry))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The CLI to run: {@code JDGRAM_CLI} (set by {@code jdgram-cli/bin/jdgram}), else its main class
   * on this class path with plain {@code java}, else null.
   */
  private static List<String> cliCommand(Context ctx) {
    String script = System.getenv("JDGRAM_CLI");
    if (script != null && Files.isExecutable(Path.of(script))) {
      return List.of(script);
    }
    try {
      Class.forName(CLI_MAIN, false, ColdStartWorkload.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
    return List.of(ctx.launcher().javaExecutable(), "-cp", ctx.launcher().classPath(), CLI_MAIN);
  }

  /**
   * The flags of the tuned variant: the one-shot flags and an AppCDS archive of the probe's
   * classes, made once per benchmark by a training run with {@code -XX:ArchiveClassesAtExit}.
   */
  @SuppressWarnings("unchecked")
  private static List<String> tunedFlags(Context ctx) {
    return (List<String>)
        ctx.memo()
            .computeIfAbsent(
                "coldstart-archive",
                k -> {
                  Path archive = ctx.options().out().resolve("coldstart").resolve("probe.jsa");
                  try {
                    Files.createDirectories(archive.getParent());
                    Files.deleteIfExists(archive);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  List<String> training = new ArrayList<>(ONE_SHOT_FLAGS);
                  training.add("-XX:ArchiveClassesAtExit=" + archive);
                  // The JVM's archive warnings (classes it cannot archive) go to stdout by default.
                  training.add("-Xlog:cds=off,cds+dynamic=off");
                  try (SubjectProcess p =
                      ctx.start(
                          "coldstart-training",
                          ctx.launcher().java(training, PROBE, List.of("coldstart")))) {
                    p.awaitResult(Duration.ofSeconds(120));
                    p.awaitExit(Duration.ofSeconds(120));
                  }
                  if (!Files.isRegularFile(archive)) {
                    throw new BenchException("the training run wrote no archive " + archive);
                  }
                  List<String> flags = new ArrayList<>(ONE_SHOT_FLAGS);
                  flags.add("-XX:SharedArchiveFile=" + archive);
                  flags.add("-Xlog:cds=off,cds+dynamic=off");
                  return List.copyOf(flags);
                });
  }
}
