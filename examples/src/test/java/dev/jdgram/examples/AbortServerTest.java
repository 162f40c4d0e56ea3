package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.AbortController;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Node's AbortController example: aborting the signal closes the socket, as close() would. */
class AbortServerTest {

  @Test
  void stopAbortsTheControllerAndTheSignalClosesTheServer() throws Exception {
    Lines lines = new Lines();
    AbortController controller = new AbortController();
    DgramSocket server = AbortServer.start(0, controller, lines);
    try {
      assertTrue(lines.next("'server listening'").startsWith("server listening 0.0.0.0:"));
      int port = server.address().port();

      Client.send("hello", port, "127.0.0.1").get(10, TimeUnit.SECONDS);
      assertTrue(lines.next("hello").startsWith("server got: hello from 127.0.0.1:"));
      Client.send("stop", port, "127.0.0.1").get(10, TimeUnit.SECONDS);
      assertTrue(lines.next("stop").startsWith("server got: stop from 127.0.0.1:"));
      assertEquals("server closed: its AbortSignal aborted", lines.next("'close'"));

      assertTrue(controller.signal().aborted());
      DgramException e = assertThrows(DgramException.class, server::address);
      assertEquals("ERR_SOCKET_DGRAM_NOT_RUNNING", e.code());
    } finally {
      server.close();
    }
  }
}
