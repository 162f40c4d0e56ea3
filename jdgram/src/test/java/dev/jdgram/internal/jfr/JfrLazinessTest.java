package dev.jdgram.internal.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process that never records pays nothing for Flight Recorder: in a fresh JVM, a bind, a send, a
 * receive and a close load none of jdgram's event classes and never make the JVM build JFR's
 * metadata (about 100 ms of the first bind), and Netty's per-buffer JFR events are off unless the
 * application turned them on.
 */
class JfrLazinessTest {
  @Test
  void socketLifecycleWithoutARecordingLoadsNoEventClass() throws Exception {
    List<String> loaded = child(List.of());
    assertTrue(
        loaded.contains("exchanged true"), "the child exchanged a datagram: " + tail(loaded));
    assertTrue(loaded.contains("netty-jfr false"), "Netty's JFR events off: " + tail(loaded));
    for (String line : loaded) {
      assertFalse(line.contains("dev.jdgram.internal.jfr.BindEvent"), line);
      assertFalse(line.contains("dev.jdgram.internal.jfr.CloseEvent"), line);
      assertFalse(line.contains("jdk.jfr.internal.MetadataRepository"), line);
    }
  }

  @Test
  void anApplicationsChoiceOfNettysJfrEventsIsKept() throws Exception {
    List<String> out = child(List.of("-Dio.netty.jfr.enabled=true"));
    assertTrue(out.contains("netty-jfr true"), "kept: " + tail(out));
  }

  /** Runs {@link Child} in a fresh JVM that logs every class it loads; its output lines. */
  private static List<String> child(List<String> jvmArgs) throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + File.separator + "bin/java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xlog:class+load=info:stdout"));
    cmd.addAll(jvmArgs);
    String transport = System.getProperty("dev.jdgram.transport");
    if (transport != null) {
      cmd.add("-Ddev.jdgram.transport=" + transport);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
    Path out = Files.createTempFile("jdgram-jfr-lazy-", ".out");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the child did not finish");
      }
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "child exit: " + tail(lines));
      return lines;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  /** The child: one socket's whole life, then what it saw. */
  public static final class Child {
    private Child() {}

    public static void main(String[] args) throws Exception {
      DgramSocket rx = Dgram.createSocket("udp4");
      CompletableFuture<Boolean> got = new CompletableFuture<>();
      rx.on(DgramSocket.MESSAGE, (msg, rinfo) -> got.complete(true));
      rx.bindSync(0, "127.0.0.1");
      DgramSocket tx = Dgram.createSocket("udp4");
      tx.send("hi", rx.address().port(), "127.0.0.1");
      boolean exchanged = got.get(10, TimeUnit.SECONDS);
      tx.closeAsync().get(10, TimeUnit.SECONDS);
      rx.closeAsync().get(10, TimeUnit.SECONDS);
      System.out.println("exchanged " + exchanged);
      System.out.println("netty-jfr " + System.getProperty("io.netty.jfr.enabled"));
      System.exit(0);
    }
  }
}
