package dev.jdgram.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Unref example in a child JVM, launched on the path this test runs on (class path or module
 * path): unref'd, the JVM exits once main returns; ref'd, it keeps running.
 */
class UnrefTest {
  private static final long EXIT_SECONDS = 30;
  private static final long ALIVE_MILLIS = 1500;

  /** A child JVM running {@link Unref} with the same java, paths and module as this one. */
  private static Process start(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    boolean named = Unref.class.getModule().isNamed();
    // Netty's native library load is a restricted method: JDK 24+ warns unless allowed.
    command.add("--enable-native-access=" + (named ? "io.netty.common" : "ALL-UNNAMED"));
    String modulePath = System.getProperty("jdk.module.path");
    String classPath = System.getProperty("java.class.path");
    if (classPath != null && !classPath.isEmpty()) {
      command.add("-cp");
      command.add(classPath);
    }
    if (named) {
      command.add("-p");
      command.add(modulePath);
      command.add("-m");
      command.add(Unref.class.getModule().getName() + "/" + Unref.class.getName());
    } else {
      command.add(Unref.class.getName());
    }
    command.addAll(List.of(args));
    // Standard error (a JVM warning, a stack trace) goes to the test's output, not into the line
    // the test reads.
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** The child's first line, read off the test thread so that the wait is bounded. */
  private static String firstLine(Process child) throws Exception {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return reader.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .get(EXIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void unrefdSocketLetsTheJvmExit() throws Exception {
    Process child = start();
    try {
      String line = firstLine(child);
      assertTrue(
          line != null && line.matches("listening on 127\\.0\\.0\\.1:\\d+, unref'd: .*"),
          "child printed: " + line);
      assertTrue(
          child.waitFor(EXIT_SECONDS, TimeUnit.SECONDS),
          "the JVM did not exit within " + EXIT_SECONDS + " s although its socket is unref'd");
      assertEquals(0, child.exitValue());
    } finally {
      child.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void refdSocketKeepsTheJvmRunning() throws Exception {
    Process child = start("--ref");
    try {
      String line = firstLine(child);
      assertTrue(
          line != null && line.matches("listening on 127\\.0\\.0\\.1:\\d+, ref'd: .*"),
          "child printed: " + line);
      // main has returned (it printed its last line); only the ref'd socket keeps the JVM up.
      assertFalse(
          child.waitFor(ALIVE_MILLIS, TimeUnit.MILLISECONDS),
          "the JVM exited although its socket is ref'd");
    } finally {
      child.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
