package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.DgramSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The seed's server and client, and the connected client, against each other on loopback. */
class ServerClientTest {

  @Test
  void serverPrintsListeningThenWhatTheClientSent() throws Exception {
    Lines lines = new Lines();
    DgramSocket server = Server.start(0, lines);
    try {
      String listening = lines.next("'server listening'");
      int port = server.address().port();
      assertEquals("server listening 0.0.0.0:" + port, listening);

      assertEquals(10, Client.send("Some bytes", port, "localhost").get(10, TimeUnit.SECONDS));
      assertTrue(
          lines.next("the client's datagram").startsWith("server got: Some bytes from 127.0.0.1:"));

      assertEquals(10, Client.sendParts(port, "Some ", "bytes").get(10, TimeUnit.SECONDS));
      assertTrue(
          lines
              .next("the two buffers, as one datagram")
              .startsWith("server got: Some bytes from 127.0.0.1:"));
    } finally {
      server.close();
    }
  }

  @Test
  void connectedClientSendsWithoutAnAddress() throws Exception {
    Lines lines = new Lines();
    DgramSocket server = Server.start(0, lines);
    try {
      lines.next("'server listening'");
      int port = server.address().port();

      ConnectedClient.Sent sent =
          ConnectedClient.send("Some bytes", port, "localhost").get(10, TimeUnit.SECONDS);
      assertEquals("127.0.0.1", sent.remote().address());
      assertEquals(port, sent.remote().port());
      assertEquals(10, sent.bytes());
      assertTrue(
          lines
              .next("the connected client's datagram")
              .startsWith("server got: Some bytes from 127.0.0.1:"));
    } finally {
      server.close();
    }
  }
}
