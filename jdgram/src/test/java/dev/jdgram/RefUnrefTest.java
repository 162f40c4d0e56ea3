package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Node's ref()/unref(): whether an open socket keeps the process alive, observed on a child JVM
 * running {@link KeepAliveMain} whose main returns once its socket is set up.
 */
class RefUnrefTest {
  /** How long a child that should stay alive must still be running after it said ready. */
  private static final long ALIVE_MILLIS = 1_500;

  /** How long a child that should exit may take to do so. */
  private static final long EXIT_SECONDS = 20;

  /** Node: a bound socket keeps the process running after the main script has finished. */
  @Test
  void boundSocketKeepsJvmAlive() throws Exception {
    assertStaysAlive("bound");
  }

  /** Node: an unref()'d bound socket lets the process exit. */
  @Test
  void unrefedSocketLetsJvmExit() throws Exception {
    assertExits("unref");
  }

  /** Node: unref() before bind() sticks: once bound, the socket still lets the process exit. */
  @Test
  void unrefBeforeBindLetsJvmExit() throws Exception {
    assertExits("unref-before-bind");
  }

  /** Node: ref() after unref() makes the socket hold the process again. */
  @Test
  void refAfterUnrefKeepsJvmAlive() throws Exception {
    assertStaysAlive("unref-ref");
  }

  /** Node: a closed socket does not hold the process. */
  @Test
  void closedSocketLetsJvmExit() throws Exception {
    assertExits("closed");
  }

  /** Node: a socket that was never bound has no handle and does not hold the process. */
  @Test
  void unboundSocketLetsJvmExit() throws Exception {
    assertExits("unbound");
  }

  /**
   * While the JVM exits, the loops still carry traffic for the application's own shutdown hooks:
   * jdgram's exit hook only makes them wake more often, so that the JVM need not wait for them.
   */
  @Test
  void socketsStillCarryTrafficInTheApplicationsShutdownHooks() throws Exception {
    Child child = Child.start("exit-in-hook");
    try {
      child.awaitReady();
      if (!child.process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
        fail("exit-in-hook: the JVM is still running " + EXIT_SECONDS + " s after System.exit");
      }
      assertEquals(
          KeepAliveMain.DELIVERED_IN_HOOK,
          child.process.exitValue(),
          "exit code; " + child.stderr());
    } finally {
      child.kill();
    }
  }

  private static void assertStaysAlive(String mode) throws Exception {
    Child child = Child.start(mode);
    try {
      child.awaitReady();
      boolean exited = child.process.waitFor(ALIVE_MILLIS, TimeUnit.MILLISECONDS);
      assertFalse(
          exited,
          mode
              + ": the JVM exited ("
              + (exited ? child.process.exitValue() : 0)
              + ") "
              + child.stderr());
    } finally {
      child.kill();
    }
  }

  private static void assertExits(String mode) throws Exception {
    Child child = Child.start(mode);
    try {
      child.awaitReady();
      if (!child.process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
        fail(mode + ": the JVM is still running " + EXIT_SECONDS + " s after main returned");
      }
      assertEquals(0, child.process.exitValue(), mode + ": exit code; " + child.stderr());
    } finally {
      child.kill();
    }
  }

  /** A child JVM on this JVM's java binary, class path and transport. */
  private static final class Child {
    final Process process;
    final File errors;
    final CompletableFuture<String> firstLine = new CompletableFuture<>();

    private Child(Process process, File errors) {
      this.process = process;
      this.errors = errors;
    }

    static Child start(String mode) throws IOException {
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(
                  System.getProperty("java.home")
                      + File.separator
                      + "bin"
                      + File.separator
                      + "java");
      List<String> command = new ArrayList<>();
      command.add(java);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("-Ddev.jdgram.transport=" + Sockets.transport());
      command.add("-Xmx64m");
      command.add(KeepAliveMain.class.getName());
      command.add(mode);
      File errors = File.createTempFile("jdgram-child-", ".err");
      errors.deleteOnExit();
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .redirectError(errors)
              .start();
      p.getOutputStream().close();
      Child child = new Child(p, errors);
      // A daemon reader: stdout is drained so the child never blocks writing it.
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  child.firstLine.complete(r.readLine());
                  while (r.readLine() != null) {
                    // drain
                  }
                } catch (IOException e) {
                  child.firstLine.completeExceptionally(e);
                }
              },
              "child-stdout");
      reader.setDaemon(true);
      reader.start();
      return child;
    }

    void awaitReady() throws Exception {
      String line;
      try {
        line = firstLine.get(EXIT_SECONDS, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("the child did not get ready: " + stderr());
      }
      assertEquals("ready", line, "the child's first line; stderr: " + stderr());
    }

    String stderr() {
      try {
        return "stderr: " + Files.readString(errors.toPath());
      } catch (IOException e) {
        return "stderr unreadable: " + e;
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the child JVM did not die");
      }
      errors.delete();
    }
  }
}
