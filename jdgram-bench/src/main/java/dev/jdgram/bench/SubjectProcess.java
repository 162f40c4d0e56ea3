package dev.jdgram.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subject (or tool) running as a separate process, spoken to with the line protocol: it prints
 * {@code READY k=v...} and {@code RESULT k=v...}, and reads {@code MARK} and {@code STOP}. Every
 * wait is bounded; {@link #close()} ends the process (and its children) whatever state it is in,
 * and a shutdown hook ends every process still running when the orchestrator exits.
 */
public final class SubjectProcess implements AutoCloseable {
  private static final Set<SubjectProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final String EOF = "\u0000EOF";

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(SubjectProcess::kill), "bench-kill-subjects"));
  }

  private final String label;
  private final Process process;
  private final Path log;
  private final OutputStream stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private SubjectProcess(String label, Process process, Path log) {
    this.label = label;
    this.process = process;
    this.log = log;
    this.stdin = process.getOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (var out = process.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = out.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process is gone
              }
              lines.add(EOF);
            },
            "bench-out-" + label);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a process; its standard error goes to {@code log}.
   *
   * @param label a name for messages
   * @param command the command line
   * @param log where the process's standard error goes
   * @return the running process
   * @throws IOException if it cannot be started
   */
  public static SubjectProcess start(String label, List<String> command, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    SubjectProcess p = new SubjectProcess(label, pb.start(), log);
    LIVE.add(p);
    return p;
  }

  /** The process id, for /proc. */
  public long pid() {
    return process.pid();
  }

  /** Waits for {@code READY} and returns its fields. */
  public Map<String, String> awaitReady(Duration timeout) {
    return await("READY", timeout);
  }

  /** Waits for {@code RESULT} and returns its fields. */
  public Map<String, String> awaitResult(Duration timeout) {
    return await("RESULT", timeout);
  }

  /**
   * Waits for the process to exit on its own.
   *
   * @param timeout how long to wait
   * @return its exit code
   * @throws BenchException if it is still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure("still running after " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted waiting for exit");
    }
    return process.exitValue();
  }

  /** Starts the measured window. */
  public void mark() {
    send("MARK");
  }

  /** Ends the measured window and returns the subject's RESULT fields. */
  public Map<String, String> stop(Duration timeout) {
    send("STOP");
    return awaitResult(timeout);
  }

  private void send(String command) {
    try {
      stdin.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
    } catch (IOException e) {
      throw failure("cannot write " + command + ": " + e.getMessage());
    }
  }

  /**
   * Waits for a line {@code KIND k=v...}, skipping any other line, and returns its fields.
   *
   * @param kind the line's first word, e.g. {@code MEASURED}
   * @param timeout how long to wait
   * @return its fields
   * @throws BenchException if no such line comes in time, or the process ends first
   */
  public Map<String, String> await(String kind, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line;
      try {
        line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted waiting for " + kind);
      }
      if (line == null) {
        throw failure("no " + kind + " within " + timeout.toMillis() + " ms");
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw failure("exited before " + kind);
      }
      if (line.startsWith(kind + " ") || line.equals(kind)) {
        return fields(line.substring(kind.length()));
      }
    }
  }

  static Map<String, String> fields(String text) {
    Map<String, String> out = new HashMap<>();
    for (String kv : text.trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return out;
  }

  private BenchException failure(String what) {
    String tail = "";
    try {
      waitQuietly(200);
      List<String> err = Files.readAllLines(log, StandardCharsets.UTF_8);
      tail = String.join("\n  ", err.subList(Math.max(0, err.size() - 15), err.size()));
    } catch (IOException | RuntimeException e) {
      // no log
    }
    String exit = process.isAlive() ? "running" : "exit " + process.exitValue();
    return new BenchException(
        label
            + ": "
            + what
            + " ("
            + exit
            + "; stderr "
            + log
            + ")"
            + (tail.isEmpty() ? "" : "\n  " + tail));
  }

  private void waitQuietly(long millis) {
    try {
      process.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the process: closes its input (it exits on its own), then kills it and its children. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    waitQuietly(2000);
    kill();
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(this);
  }
}
