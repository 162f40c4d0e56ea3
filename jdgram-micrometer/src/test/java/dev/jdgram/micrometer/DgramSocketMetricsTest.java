package dev.jdgram.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.BlockList;
import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketOptions;
import dev.jdgram.SocketStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters against real sockets on loopback, read through a SimpleMeterRegistry. */
class DgramSocketMetricsTest {
  private static final int COUNT = 7;
  private final List<DgramSocket> sockets = new ArrayList<>();
  private final MeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void closeSockets() throws Exception {
    for (DgramSocket s : sockets) {
      close(s);
    }
  }

  @Test
  void countersMatchWhatWasSentReceivedAndRefused() throws Exception {
    BlockList blocked = new BlockList();
    blocked.addAddress("127.0.0.2", "ipv4");
    DgramSocket receiver = socket(SocketOptions.of("udp4"));
    DgramSocket sender = socket(SocketOptions.of("udp4").sendBlockList(blocked));
    CountDownLatch received = new CountDownLatch(COUNT);
    receiver.on(DgramSocket.MESSAGE, (msg, rinfo) -> received.countDown());
    int port = bind(receiver);
    bindFresh(receiver, "receiver");
    bindFresh(sender, "sender");

    for (int i = 0; i < COUNT; i++) {
      assertNull(send(sender, "metric-" + i, port, "127.0.0.1"), "send " + i);
    }
    assertTrue(received.await(10, TimeUnit.SECONDS), "the datagrams arrive");
    assertEquals("ERR_IP_BLOCKED", send(sender, "x", port, "127.0.0.2").code());

    assertEquals(COUNT, counter("jdgram.datagrams.received", "receiver"));
    assertEquals(COUNT * 8, counter("jdgram.bytes.received", "receiver"));
    assertEquals(0, counter("jdgram.datagrams.sent", "receiver"));
    assertEquals(0, counter("jdgram.receive.kernel.drops", "receiver"), "Linux says: none");
    assertEquals(0, counter("jdgram.receive.blocked", "receiver"));
    assertEquals(COUNT, counter("jdgram.datagrams.sent", "sender"));
    assertEquals(COUNT * 8, counter("jdgram.bytes.sent", "sender"));
    assertEquals(1, counter("jdgram.send.errors", "sender"));
    assertEquals(
        1,
        registry
            .get("jdgram.send.refused")
            .tags("socket", "sender", "reason", "block.list")
            .functionCounter()
            .count());
    assertEquals(
        0,
        registry
            .get("jdgram.send.refused")
            .tags("socket", "sender", "reason", "queue.limit")
            .functionCounter()
            .count());
    assertEquals(0, gauge("jdgram.send.queue.size", "sender"));
    assertEquals(0, gauge("jdgram.send.queue.count", "sender"));
    assertEquals("bytes", registry.get("jdgram.bytes.sent").meter().getId().getBaseUnit());
    assertEquals("datagrams", registry.get("jdgram.datagrams.sent").meter().getId().getBaseUnit());
  }

  @Test
  void afterCloseCountersKeepTheirValuesAndQueueGaugesReadZero() throws Exception {
    DgramSocket receiver = socket(SocketOptions.of("udp4"));
    DgramSocket sender = socket(SocketOptions.of("udp4"));
    CountDownLatch received = new CountDownLatch(1);
    receiver.on(DgramSocket.MESSAGE, (msg, rinfo) -> received.countDown());
    int port = bind(receiver);
    bindFresh(receiver, "receiver");
    bindFresh(sender, "sender");
    assertNull(send(sender, "closing", port, "127.0.0.1"));
    assertTrue(received.await(10, TimeUnit.SECONDS), "the datagram arrives");

    close(sender);
    close(receiver);
    assertEquals(1, counter("jdgram.datagrams.sent", "sender"));
    assertEquals(7, counter("jdgram.bytes.received", "receiver"));
    assertEquals(0, gauge("jdgram.send.queue.size", "sender"), "not ERR_SOCKET_DGRAM_NOT_RUNNING");
    assertEquals(0, gauge("jdgram.send.queue.count", "sender"));
    assertEquals(0, counter("jdgram.receive.kernel.drops", "receiver"), "kept from close");
  }

  @Test
  void oneScrapeReadsStatsOnce() throws Exception {
    DgramSocket receiver = socket(SocketOptions.of("udp4"));
    DgramSocket sender = socket(SocketOptions.of("udp4"));
    int port = bind(receiver);
    new DgramSocketMetrics(sender, Tags.of("socket", "cached"), Duration.ofHours(1))
        .bindTo(registry);
    assertEquals(0, counter("jdgram.datagrams.sent", "cached"));
    assertNull(send(sender, "later", port, "127.0.0.1"));
    assertEquals(1, sender.stats().datagramsSent());
    assertEquals(
        0, counter("jdgram.bytes.sent", "cached"), "the reading the first meter took is shared");
  }

  @Test
  void unknownKernelDropsReadNaN() {
    SocketStats unknown = new SocketStats(0, 0, 0, 0, 0, 0, 0, 0, -1);
    assertTrue(Double.isNaN(DgramSocketMetrics.kernelDrops(unknown)));
    assertEquals(3, DgramSocketMetrics.kernelDrops(new SocketStats(0, 0, 0, 0, 0, 0, 0, 0, 3)));
  }

  private DgramSocket socket(SocketOptions options) {
    DgramSocket s = Dgram.createSocket(options);
    sockets.add(s);
    return s;
  }

  /** Meters that read stats() afresh at every read, so a test sees each change at once. */
  private void bindFresh(DgramSocket s, String name) {
    new DgramSocketMetrics(s, Tags.of("socket", name), Duration.ZERO).bindTo(registry);
  }

  private double counter(String name, String socket) {
    return registry.get(name).tag("socket", socket).functionCounter().count();
  }

  private double gauge(String name, String socket) {
    return registry.get(name).tag("socket", socket).gauge().value();
  }

  private static int bind(DgramSocket s) throws Exception {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    s.bind(0, "127.0.0.1", () -> listening.complete(null));
    listening.get(10, TimeUnit.SECONDS);
    return s.address().port();
  }

  private static DgramException send(DgramSocket s, String msg, int port, String address)
      throws Exception {
    CompletableFuture<DgramException> sent = new CompletableFuture<>();
    s.send(msg, port, address, (err, bytes) -> sent.complete(err));
    return sent.get(10, TimeUnit.SECONDS);
  }

  private static void close(DgramSocket s) throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    s.close(() -> closed.complete(null));
    closed.get(10, TimeUnit.SECONDS);
  }
}
