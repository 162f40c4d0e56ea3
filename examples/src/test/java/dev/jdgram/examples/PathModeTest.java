package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The build runs these tests twice, once with jdgram on the module path and once on the class path
 * ({@code -Pclasspath}); this checks that each run really is what it says.
 */
class PathModeTest {

  @Test
  void jdgramIsLoadedAsTheBuildSays() {
    Module library = Dgram.class.getModule();
    Module examples = Server.class.getModule();
    String path = System.getProperty("examples.path");
    if ("module".equals(path)) {
      assertEquals("dev.jdgram", library.getName());
      assertEquals("dev.jdgram.examples", examples.getName());
      assertTrue(examples.canRead(library));
      assertTrue(library.isExported("dev.jdgram"));
      assertFalse(library.isExported("dev.jdgram.internal"), "internals must stay unexported");
    } else if ("class".equals(path)) {
      assertFalse(library.isNamed(), "jdgram should be in the unnamed module: " + library);
      assertFalse(examples.isNamed(), "the examples should be in the unnamed module: " + examples);
    } else {
      fail("examples.path is " + path + "; run through Maven (module by default, -Pclasspath)");
    }
  }

  /**
   * On Linux (x86_64, aarch64) jdgram runs on Netty's native epoll transport on either path, and
   * falls back to NIO only where there is none. Its loop threads are named for the transport.
   */
  @Test
  void linuxRunsOnEpoll() throws Exception {
    String arch = System.getProperty("os.arch");
    boolean hasNativeEpoll =
        System.getProperty("os.name").equals("Linux")
            && (arch.equals("amd64") || arch.equals("aarch64"));
    DgramSocket socket = Dgram.createSocket("udp4");
    try {
      CompletableFuture<String> loop = new CompletableFuture<>();
      socket.once(DgramSocket.ERROR, loop::completeExceptionally);
      socket.bind(0, "127.0.0.1", () -> loop.complete(Thread.currentThread().getName()));
      String thread = loop.get(Lines.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (hasNativeEpoll) {
        assertTrue(thread.startsWith("jdgram-epoll"), "loop thread " + thread);
      } else {
        assertTrue(thread.startsWith("jdgram-"), "loop thread " + thread);
      }
    } finally {
      socket.close();
    }
  }
}
