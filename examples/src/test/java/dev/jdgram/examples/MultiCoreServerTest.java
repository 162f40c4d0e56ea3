package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Two reusePort sockets with their own loops serve one port; senders are spread over them. */
class MultiCoreServerTest {
  private static final Pattern GOT = Pattern.compile("socket (\\d+) on (\\S+) got: (\\S+) from .*");

  @Test
  void sendersAreSpreadOverTheSocketsOfOnePort() throws Exception {
    Lines lines = new Lines();
    try (MultiCoreServer server = MultiCoreServer.start(0, 2, lines)) {
      assertEquals(
          "serving 127.0.0.1:" + server.port() + " with 2 sockets, each on its own event loop",
          lines.next("the start"));

      // 16 senders, each from a port of its own: the kernel hashes each to one of the two
      // sockets, so all 16 landing on one socket has a chance of 2^-15.
      int senders = 16;
      CompletableFuture<?>[] sent = new CompletableFuture<?>[senders];
      for (int i = 0; i < senders; i++) {
        sent[i] = Client.send("msg-" + i, server.port(), "127.0.0.1");
      }
      CompletableFuture.allOf(sent).get(10, TimeUnit.SECONDS);

      Set<String> texts = new HashSet<>();
      Set<String> sockets = new HashSet<>();
      Set<String> threads = new HashSet<>();
      for (int i = 0; i < senders; i++) {
        String line = lines.next("datagram " + (i + 1) + " of " + senders);
        Matcher m = GOT.matcher(line);
        assertTrue(m.matches(), line);
        sockets.add(m.group(1));
        threads.add(m.group(2));
        texts.add(m.group(3));
      }
      assertEquals(senders, texts.size(), "every datagram once: " + texts);
      assertEquals(2, sockets.size(), "both sockets received: " + sockets);
      if (Runtime.getRuntime().availableProcessors() > 1) {
        assertEquals(2, threads.size(), "each socket on a loop thread of its own: " + threads);
      }
    }
  }
}
