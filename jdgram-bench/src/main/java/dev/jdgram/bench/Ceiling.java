package dev.jdgram.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the ceiling subject: the C program shipped as a resource ({@code ceiling/ceiling.c}),
 * compiled with the system's {@code gcc -O2} into the results directory when the benchmark starts.
 * Where there is no gcc on {@code PATH}, or it fails, the ceiling is skipped with one line saying
 * so and the benchmark carries on without it.
 */
public final class Ceiling {
  /** The C source, a resource on the class path. */
  static final String SOURCE = "/dev/jdgram/bench/ceiling/ceiling.c";

  private static final long COMPILE_SECONDS = 120;

  private Ceiling() {}

  /**
   * Compiles the ceiling program into {@code dir}, using gcc from this process's {@code PATH}.
   *
   * @param dir where the source, the binary and gcc's log go
   * @param out where the one line of a skip goes
   * @return the executable, or null if the ceiling is skipped
   */
  public static Path build(Path dir, PrintStream out) {
    return build(dir, out, System.getenv("PATH"));
  }

  /** {@link #build(Path, PrintStream)} with the {@code PATH} to search given. */
  static Path build(Path dir, PrintStream out, String path) {
    Path gcc = find("gcc", path);
    if (gcc == null) {
      out.println("ceiling: skipped, no gcc");
      return null;
    }
    Path log = dir.resolve("gcc.log");
    try {
      Files.createDirectories(dir);
      Path source = dir.resolve("ceiling.c");
      try (InputStream in = Ceiling.class.getResourceAsStream(SOURCE)) {
        if (in == null) {
          out.println("ceiling: skipped, " + SOURCE + " missing from the class path");
          return null;
        }
        Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
      }
      Path binary = dir.resolve("ceiling");
      Process gccRun =
          new ProcessBuilder(
                  List.of(
                      gcc.toString(),
                      "-O2",
                      "-pthread",
                      "-Wall",
                      "-o",
                      binary.toString(),
                      source.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!gccRun.waitFor(COMPILE_SECONDS, TimeUnit.SECONDS)) {
        gccRun.destroyForcibly();
        out.println("ceiling: skipped, gcc took over " + COMPILE_SECONDS + " s");
        return null;
      }
      if (gccRun.exitValue() != 0 || !Files.isExecutable(binary)) {
        out.println(
            "ceiling: skipped, gcc exited "
                + gccRun.exitValue()
                + ": "
                + firstLine(log)
                + " (all of it in "
                + log
                + ")");
        return null;
      }
      return binary;
    } catch (IOException e) {
      out.println("ceiling: skipped, cannot build it: " + e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted compiling the ceiling");
    }
  }

  /** The executable {@code name} in the first directory of {@code path} holding one, or null. */
  static Path find(String name, String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String firstLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return lines.isEmpty() ? "no output" : lines.get(0);
    } catch (IOException e) {
      return "no log";
    }
  }
}
