package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A caller that sends far faster than the loop writes, in a small heap: the queue drains in bounded
 * batches while the caller is still sending, so a million sends without callbacks finish in 128 MiB
 * of heap and 64 MiB of direct memory (before, every send went into Netty's outbound buffer, a
 * direct copy each, before one flush: the JVM died of OutOfMemoryError), and every send is
 * accounted for once. In a child JVM, on this JVM's transport.
 */
class SendFloodTest {
  private static final int SENDS = 1_000_000;

  @Test
  void aMillionSendsWithoutCallbacksDrainInASmallHeap() throws Exception {
    File out = File.createTempFile("jdgram-flood-", ".out");
    File err = File.createTempFile("jdgram-flood-", ".err");
    Process p = null;
    try {
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(System.getProperty("java.home") + "/bin/java");
      p =
          new ProcessBuilder(
                  List.of(
                      java,
                      "-cp",
                      System.getProperty("java.class.path"),
                      "-Ddev.jdgram.transport=" + Sockets.transport(),
                      "-Xmx128m",
                      "-XX:MaxDirectMemorySize=64m",
                      SendFloodMain.class.getName(),
                      Integer.toString(SENDS)))
              .redirectOutput(out)
              .redirectError(err)
              .start();
      boolean exited = p.waitFor(45, TimeUnit.SECONDS); // within JUnit's 60 s default timeout
      if (!exited) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8).trim();
      String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
      assertTrue(exited, "the child did not finish; stdout: " + stdout + "; stderr: " + stderr);
      assertEquals(0, p.exitValue(), "stdout: " + stdout + "; stderr: " + stderr);
      System.out.println("send flood on " + KernelOptions.transport() + ": " + stdout);
      assertTrue(stdout.startsWith("ok "), stdout);
      long sent = field(stdout, "sent");
      long errors = field(stdout, "errors");
      assertEquals(SENDS + 1, sent + errors, "every send accounted for once: " + stdout);
      assertEquals(0, field(stdout, "queued"), stdout);
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // never leave the child behind
      }
      out.delete();
      err.delete();
    }
  }

  private static long field(String line, String name) {
    for (String part : line.split(" ")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no " + name + " in " + line);
  }
}
