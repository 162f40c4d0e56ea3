package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "exhaustion", in a child JVM ({@link ExhaustionMain}): out of descriptors, binds fail
 * with Node's EMFILE and sockets work again once some are closed; under a flood with 8 MB of direct
 * memory and a 64 MB heap, the event loop survives.
 */
class ExhaustionTest {
  private static final long CHILD_SECONDS = 60;

  /**
   * Node: bind fails with {@code bind EMFILE 127.0.0.1} ('error' for bind(), thrown by bindSync), a
   * send's implicit bind fails its callback; after closing some, sockets bind and exchange again,
   * and nothing is left open.
   */
  @Test
  void outOfDescriptorsBindFailsWithEmfileAndSocketsRecover() throws Exception {
    Map<String, String> out = run("ulimit -n 64; exec ", List.of(), "emfile");
    assertTrue(Integer.parseInt(out.get("opened")) > 0, "some sockets opened " + out);
    assertTrue(out.get("failure").startsWith("bindSync EMFILE bind EMFILE"), "bindSync " + out);
    assertTrue(out.get("async").startsWith("EMFILE bind EMFILE"), "bind() 'error' " + out);
    // Node emits the implicit bind's failure as 'error'; jdgram also tells the queued send's
    // callback (Binder.bindFailedOnLoop)
    assertEquals("error=EMFILE callback=EMFILE", out.get("send"), "implicit bind of send " + out);
    assertEquals("true", out.get("recovered"), "sockets work again " + out);
    assertEquals("0", out.get("leaked"), "sockets left open " + out);
    assertEquals("0", out.get("uncaught"), "uncaught " + out);
  }

  /**
   * io_uring only: every channel takes about 180 KiB of direct memory (Netty's message headers and
   * its own read buffer), so with 16 MB a few dozen sockets exhaust it. Binds then fail with
   * ENOBUFS, as Node's do when socket(2) finds no memory, instead of never completing; no
   * descriptor is left open, and sockets bind again once some are closed.
   */
  @Test
  void outOfDirectMemoryOnIoUringBindFailsWithEnobufsAndSocketsRecover() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "io_uring".equals(Sockets.transport()), "only io_uring's sockets cost direct memory");
    Map<String, String> out = run("exec ", List.of("-XX:MaxDirectMemorySize=16m"), "emfile");
    assertTrue(Integer.parseInt(out.get("opened")) > 0, "some sockets opened " + out);
    assertTrue(out.get("failure").startsWith("bindSync ENOBUFS bind ENOBUFS"), "bindSync " + out);
    assertTrue(out.get("async").startsWith("ENOBUFS bind ENOBUFS"), "bind() 'error' " + out);
    assertEquals("error=ENOBUFS callback=ENOBUFS", out.get("send"), "implicit bind of send " + out);
    assertEquals("true", out.get("recovered"), "sockets work again " + out);
    assertEquals("0", out.get("leaked"), "sockets left open " + out);
    assertEquals("0", out.get("uncaught"), "uncaught " + out);
  }

  /**
   * The loop survives a flood in and out with 8 MB of direct memory; every send calls back (Node
   * copies nothing off-heap: its sends succeed or fail with ENOBUFS), every flood datagram the
   * kernel took is delivered or counted as a kernel drop, a probe still arrives, and close()
   * completes.
   */
  @Test
  void floodUnderSmallDirectMemoryKeepsTheLoopAlive() throws Exception {
    Map<String, String> out =
        run("exec ", List.of("-XX:MaxDirectMemorySize=8m", "-Xmx64m"), "flood");
    String[] sends = out.get("sends").split(" ");
    assertEquals(sends[0], sends[2], "every send called back: " + out);
    String[] flood = out.get("flooded").split(" ");
    long received = Long.parseLong(flood[2]);
    long dropped = Long.parseLong(flood[4]);
    assertEquals(Long.parseLong(flood[0]), received + dropped, "delivered + dropped " + out);
    assertEquals("true", out.get("alive"), "the loop answers after the flood " + out);
    assertEquals("0", out.get("uncaught"), "uncaught " + out);
  }

  /**
   * A loop's first read finds no direct memory for its buffer: the socket reports Node's {@code
   * recvmsg ENOBUFS} (libuv's answer to a failed allocation), keeps reading, and delivers the
   * datagram, which waited in the kernel, once memory is free. Where the read found memory after
   * all (io_uring posts a socket's first read at bind, before the memory is taken; on JDK 25 NIO's
   * read buffer can come from memory the pool already holds), it arrives at once and there is
   * nothing to report. (Before the fix, NIO closed the socket silently and epoll swallowed the
   * error.)
   */
  @Test
  void readWithoutDirectMemoryFailsWithEnobufsAndLosesNothing() throws Exception {
    Map<String, String> out =
        run("exec ", List.of("-XX:MaxDirectMemorySize=32m", "-Xmx64m"), "readbuffer");
    assertEquals("kept", out.get("delivered"), "the queued datagram arrives " + out);
    String errors = out.get("errors");
    if ("queued".equals(out.get("before-free"))) {
      assertTrue(errors.matches("\\{ENOBUFS_recvmsg=\\d+}"), "reported as ENOBUFS " + out);
    } else {
      assertEquals("{}", errors, "read at once: nothing to report " + out);
    }
    assertEquals("0", out.get("uncaught"), "uncaught " + out);
  }

  /** Runs the child under bash with {@code prefix} before java; its {@code key value} lines. */
  private static Map<String, String> run(String prefix, List<String> jvmArgs, String mode)
      throws Exception {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + File.separator + "bin/java");
    StringBuilder cmd = new StringBuilder(prefix).append(quote(java));
    for (String a : jvmArgs) {
      cmd.append(' ').append(a);
    }
    cmd.append(" -cp ").append(quote(System.getProperty("java.class.path")));
    cmd.append(" -Ddev.jdgram.transport=").append(Sockets.transport());
    cmd.append(' ').append(ExhaustionMain.class.getName()).append(' ').append(mode);
    File errors = File.createTempFile("jdgram-exhaustion-", ".err");
    errors.deleteOnExit();
    Process p =
        new ProcessBuilder("bash", "-c", cmd.toString())
            .redirectError(errors)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    try {
      if (!p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError(mode + ": the child did not finish: " + stderr(errors));
      }
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      System.out.printf("ExhaustionTest[%s] %s:%n%s", Sockets.transport(), mode, stdout);
      assertEquals(0, p.exitValue(), mode + ": exit code; " + stdout + stderr(errors));
      Map<String, String> out = new HashMap<>();
      for (String line : stdout.split("\n")) {
        int sp = line.indexOf(' ');
        if (sp > 0) {
          out.put(line.substring(0, sp), line.substring(sp + 1).trim());
        }
      }
      return out;
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      errors.delete();
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String stderr(File f) throws java.io.IOException {
    String s = java.nio.file.Files.readString(f.toPath());
    return " stderr: " + (s.length() > 4_000 ? s.substring(0, 4_000) : s);
  }
}
