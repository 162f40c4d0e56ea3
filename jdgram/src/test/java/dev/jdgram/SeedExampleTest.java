package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The seed's server and client examples, end to end on loopback. */
class SeedExampleTest {
  @Test
  void serverReceivesWhatClientSends() throws Exception {
    CompletableFuture<String> got = new CompletableFuture<>();
    CompletableFuture<AddressInfo> listening = new CompletableFuture<>();
    DgramSocket server = Dgram.createSocket("udp4");
    DgramSocket client = Dgram.createSocket("udp4");
    try {
      server.on(DgramSocket.ERROR, got::completeExceptionally);
      server.on(
          DgramSocket.MESSAGE,
          (msg, rinfo) ->
              got.complete(
                  new String(msg, StandardCharsets.UTF_8)
                      + " from "
                      + rinfo.address()
                      + " "
                      + rinfo.family()));
      server.on(DgramSocket.LISTENING, () -> listening.complete(server.address()));
      server.bind(0);
      AddressInfo addr = listening.get(5, TimeUnit.SECONDS);
      assertEquals("0.0.0.0", addr.address());
      assertEquals("IPv4", addr.family());
      assertTrue(addr.port() > 0);

      CompletableFuture<Integer> sent = new CompletableFuture<>();
      client.send(
          "Some bytes",
          addr.port(),
          "localhost",
          (err, bytes) -> {
            client.close();
            if (err != null) {
              sent.completeExceptionally(err);
            } else {
              sent.complete(bytes);
            }
          });
      assertEquals(10, sent.get(5, TimeUnit.SECONDS));
      assertEquals("Some bytes from 127.0.0.1 IPv4", got.get(5, TimeUnit.SECONDS));
      assertNull(server.closeAsync().get(5, TimeUnit.SECONDS));
    } finally {
      Sockets.closeAll(client, server); // a failed step must not leave them open
    }
  }
}
