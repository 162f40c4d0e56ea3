package dev.jdgram.internal.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * The Flight Recorder events: an in-process recording of bind, connect, send, receive, a failed
 * bind and close, read back from its file.
 */
class JfrEventsTest {
  private static final int COUNT = 5;

  @Test
  void recordingHasLifecycleErrorAndTrafficEvents() throws Exception {
    Path file = Files.createTempFile("jdgram", ".jfr");
    List<RecordedEvent> events;
    int receiverPort;
    int senderPort;
    try (Recording r = new Recording()) {
      for (String name : List.of("Bind", "Connect", "Close", "Error")) {
        r.enable("dev.jdgram." + name);
      }
      r.enable("dev.jdgram.Traffic").withPeriod(Duration.ofSeconds(1));
      r.start();

      DgramSocket receiver = Dgram.createSocket("udp4");
      CountDownLatch received = new CountDownLatch(COUNT);
      receiver.on(DgramSocket.MESSAGE, (msg, rinfo) -> received.countDown());
      CompletableFuture<Void> listening = new CompletableFuture<>();
      receiver.bind(0, "127.0.0.1", () -> listening.complete(null));
      listening.get(10, TimeUnit.SECONDS);
      receiverPort = receiver.address().port();

      DgramSocket sender = Dgram.createSocket("udp4");
      CompletableFuture<DgramException> connected = new CompletableFuture<>();
      sender.connect(receiverPort, "127.0.0.1", connected::complete);
      assertEquals(null, connected.get(10, TimeUnit.SECONDS), "connect");
      senderPort = sender.address().port();
      for (int i = 0; i < COUNT; i++) {
        CompletableFuture<DgramException> sent = new CompletableFuture<>();
        sender.send("jfr-" + i, (err, bytes) -> sent.complete(err));
        assertEquals(null, sent.get(10, TimeUnit.SECONDS), "send " + i);
      }
      assertTrue(received.await(10, TimeUnit.SECONDS), "the datagrams arrive");

      DgramSocket clash = Dgram.createSocket("udp4");
      CompletableFuture<DgramException> error = new CompletableFuture<>();
      clash.on(DgramSocket.ERROR, error::complete);
      clash.bind(receiverPort, "127.0.0.1");
      assertEquals("EADDRINUSE", error.get(10, TimeUnit.SECONDS).code());

      for (DgramSocket s : List.of(receiver, sender, clash)) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        s.close(() -> closed.complete(null));
        closed.get(10, TimeUnit.SECONDS);
      }
      r.stop();
      r.dump(file);
      events = RecordingFile.readAllEvents(file);
    } finally {
      Files.deleteIfExists(file);
    }

    List<RecordedEvent> binds = named(events, "dev.jdgram.Bind");
    Set<Integer> boundPorts = binds.stream().map(e -> e.getInt("port")).collect(Collectors.toSet());
    assertEquals(Set.of(receiverPort, senderPort), boundPorts, "Bind: explicit and implicit");
    for (RecordedEvent e : binds) {
      assertEquals(
          e.getInt("port") == receiverPort ? "127.0.0.1" : "0.0.0.0", e.getString("address"));
      assertTrue(
          Set.of("epoll", "io_uring", "nio").contains(e.getString("transport")), e.toString());
    }

    List<RecordedEvent> connects = named(events, "dev.jdgram.Connect");
    assertEquals(1, connects.size(), connects.toString());
    assertEquals(senderPort, connects.get(0).getInt("port"));
    assertEquals("127.0.0.1", connects.get(0).getString("remoteAddress"));
    assertEquals(receiverPort, connects.get(0).getInt("remotePort"));

    List<RecordedEvent> errors = named(events, "dev.jdgram.Error");
    assertEquals(1, errors.size(), errors.toString());
    assertEquals("EADDRINUSE", errors.get(0).getString("code"));
    assertEquals("bind", errors.get(0).getString("syscall"));
    assertTrue(errors.get(0).getString("message").contains("EADDRINUSE"));

    List<RecordedEvent> closes = named(events, "dev.jdgram.Close");
    assertEquals(3, closes.size(), closes.toString());
    Set<Integer> closedPorts =
        closes.stream().map(e -> e.getInt("port")).collect(Collectors.toSet());
    assertEquals(Set.of(receiverPort, senderPort, 0), closedPorts, "the clash never bound");

    int bytes = COUNT * "jfr-0".getBytes(StandardCharsets.UTF_8).length;
    assertEquals(COUNT, trafficSum(events, receiverPort, "datagramsReceived"));
    assertEquals(bytes, trafficSum(events, receiverPort, "bytesReceived"));
    assertEquals(0, trafficSum(events, receiverPort, "datagramsSent"));
    assertEquals(COUNT, trafficSum(events, senderPort, "datagramsSent"));
    assertEquals(bytes, trafficSum(events, senderPort, "bytesSent"));
    assertEquals(0, trafficSum(events, senderPort, "sendErrors"));
  }

  private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(name))
        .collect(Collectors.toList());
  }

  private static long trafficSum(List<RecordedEvent> events, int port, String field) {
    return named(events, "dev.jdgram.Traffic").stream()
        .filter(e -> e.getInt("port") == port)
        .mapToLong(e -> e.getLong(field))
        .sum();
  }
}
