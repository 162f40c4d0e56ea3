package dev.jdgram;

import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAll;
import static dev.jdgram.Sockets.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.Sockets.Inbox;
import dev.jdgram.Sockets.Sent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jdgram's {@code stats()}: every datagram the kernel delivered to a socket is either received or
 * counted as dropped, and every send is either sent or counted as failed or refused. Both
 * transports; the flood checks the kernel's own drop counter (SO_MEMINFO on epoll, /proc/net/udp on
 * NIO) against a counting sender.
 */
class StatsTest {
  /** Datagrams and bytes both ways are counted exactly, with errors and block-list drops. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void statsCountWhatWasSentReceivedRefusedAndBlocked(String type) {
    BlockList blocked = new BlockList();
    blocked.addAddress(
        "udp4".equals(type) ? "127.0.0.2" : "::2", "udp4".equals(type) ? "ipv4" : "ipv6");
    DgramSocket receiver = Sockets.bound(type);
    DgramSocket sender = Dgram.createSocket(SocketOptions.of(type).sendBlockList(blocked));
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      for (int i = 0; i < 10; i++) {
        Sent sent = new Sent();
        sender.send("stats-" + i, port, loopback(type), sent);
        sent.bytes("send " + i);
      }
      for (int i = 0; i < 10; i++) {
        inbox.next("stats-" + i, "datagram " + i);
      }
      Sent tooBig = new Sent();
      sender.send(new byte[70_000], port, loopback(type), tooBig);
      assertEquals("EMSGSIZE", tooBig.error("the oversized send").code());
      Sent refused = new Sent();
      sender.send("x", port, "udp4".equals(type) ? "127.0.0.2" : "::2", refused);
      assertEquals("ERR_IP_BLOCKED", refused.error("the blocked send").code());

      SocketStats out = sender.stats();
      assertEquals(10, out.datagramsSent());
      assertEquals(10 * 7, out.bytesSent());
      assertEquals(2, out.sendErrors());
      assertEquals(1, out.sendBlocked());
      assertEquals(0, out.sendQueueRefused());
      SocketStats in = receiver.stats();
      assertEquals(10, in.datagramsReceived());
      assertEquals(10 * 7, in.bytesReceived());
      assertEquals(0, in.receiveBlocked());
      assertEquals(0, in.kernelDrops(), "nothing dropped at this pace");
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** A datagram from a sender on the receive block list is dropped and counted. */
  @Test
  void receiveBlockListDropsAreCounted() {
    BlockList blocked = new BlockList();
    blocked.addAddress("127.0.0.1");
    DgramSocket receiver = Dgram.createSocket(SocketOptions.of("udp4").receiveBlockList(blocked));
    DgramSocket sender = Sockets.bound("udp4");
    try {
      int port = Sockets.bound(receiver, "127.0.0.1").address().port();
      for (int i = 0; i < 5; i++) {
        Sent sent = new Sent();
        sender.send("blocked", port, "127.0.0.1", sent);
        sent.bytes("send " + i);
      }
      long deadline = System.nanoTime() + Sockets.WAIT_SECONDS * 1_000_000_000L;
      while (receiver.stats().receiveBlocked() < 5 && System.nanoTime() < deadline) {
        Sockets.barrier("the blocked datagrams");
      }
      assertEquals(5, receiver.stats().receiveBlocked());
      assertEquals(0, receiver.stats().datagramsReceived());
    } finally {
      closeAll(sender, receiver);
    }
  }

  /**
   * sendQueueLimit: sends waiting for a lookup fill the queue; the one that would pass the limit
   * fails at once with ENOBUFS (syscall send, address and port), once, and is counted; the queued
   * ones still go out when the lookup answers. Without a callback the refusal is 'error'.
   */
  @Test
  void sendPastTheQueueLimitFailsWithEnobufsAndIsCounted() {
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket sender =
        Dgram.createSocket(
            SocketOptions.of("udp4")
                .sendQueueLimit(100)
                .lookup(
                    (host, family) ->
                        "slow.test".equals(host)
                            ? answer
                            : CompletableFuture.completedFuture(
                                dev.jdgram.internal.Addresses.parseLiteral(host))));
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.address().port();
      List<Sent> queued = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Sent s = new Sent();
        sender.send(new byte[25], port, "slow.test", s);
        queued.add(s);
      }
      assertEquals(100, sender.getSendQueueSize());
      Sent refused = new Sent();
      sender.send(new byte[1], port, "slow.test", refused);
      DgramException e = refused.error("the send past the limit");
      assertEquals("ENOBUFS", e.code());
      assertEquals("send", e.syscall());
      assertEquals("send ENOBUFS slow.test:" + port, e.getMessage());
      CompletableFuture<DgramException> error = Sockets.firstError(sender);
      sender.send(new byte[1], port, "slow.test");
      assertEquals("ENOBUFS", await(error, "'error' of a refused send").code());
      assertEquals(2, sender.stats().sendQueueRefused());
      assertEquals(2, sender.stats().sendErrors());
      answer.complete(InetAddress.getLoopbackAddress());
      for (Sent s : queued) {
        assertEquals(25, s.bytes("a queued send"));
      }
      for (int i = 0; i < 4; i++) {
        inbox.next("a queued datagram");
      }
      assertEquals(4, sender.stats().datagramsSent());
      assertEquals(0, sender.getSendQueueSize());
    } finally {
      answer.complete(InetAddress.getLoopbackAddress());
      closeAll(sender, receiver);
    }
  }

  /** The limits must be at least 1: Node-style ERR_OUT_OF_RANGE. */
  @Test
  void queueLimitsBelowOneAreOutOfRange() {
    DgramException bytes =
        org.junit.jupiter.api.Assertions.assertThrows(
            DgramException.class, () -> SocketOptions.of("udp4").sendQueueLimit(0));
    assertEquals("ERR_OUT_OF_RANGE", bytes.code());
    DgramException count =
        org.junit.jupiter.api.Assertions.assertThrows(
            DgramException.class, () -> SocketOptions.of("udp4").sendQueueCountLimit(-1));
    assertEquals("ERR_OUT_OF_RANGE", count.code());
  }

  /**
   * The flood: a receiver whose listener is deliberately slow, a sender that counts every datagram
   * the kernel accepted (sequence-numbered, checksummed). Once the receiver has caught up,
   * delivered + kernel drops == sent, exactly, and nothing was corrupted or duplicated.
   */
  @ParameterizedTest
  @CsvSource({"udp4, 64", "udp4, 1400", "udp6, 64", "udp6, 1400"})
  void deliveredPlusKernelDropsEqualsSent(String type, int size) throws IOException {
    DgramSocket receiver =
        Dgram.createSocket(SocketOptions.of(type).recvBufferSize(64 * 1024).ownEventLoop(true));
    AtomicBoolean slow = new AtomicBoolean(true);
    BitSet seen = new BitSet();
    AtomicInteger delivered = new AtomicInteger();
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    receiver.on(
        DgramSocket.MESSAGE,
        (msg, rinfo) -> {
          int seq = check(msg, size, wrong);
          synchronized (seen) {
            if (seq >= 0 && seen.get(seq)) {
              wrong.add("duplicate " + seq);
            }
            if (seq >= 0) {
              seen.set(seq);
            }
          }
          delivered.incrementAndGet();
          if (slow.get()) {
            LockSupport.parkNanos(50_000); // a listener that cannot keep up
          }
        });
    try (DatagramChannel sender =
        DatagramChannel.open(
            "udp4".equals(type) ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6)) {
      int port = Sockets.bound(receiver, loopback(type)).address().port();
      InetSocketAddress to = new InetSocketAddress(loopback(type), port);
      int sent = 0;
      ByteBuffer buf = ByteBuffer.allocate(size);
      for (int seq = 0; seq < 20_000; seq++) {
        fill(buf, seq, size);
        if (sender.send(buf, to) == size) {
          sent++;
        }
        if (seq % 200 == 199) {
          LockSupport.parkNanos(200_000); // paced, so loopback's backlog never overflows
        }
      }
      slow.set(false);
      long deadline = System.nanoTime() + 10_000_000_000L;
      SocketStats stats = receiver.stats();
      while (delivered.get() + stats.kernelDrops() != sent && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000); // a bounded poll: the receiver is catching up
        stats = receiver.stats();
      }
      long drops = stats.kernelDrops();
      System.out.printf(
          "flood %s %d B on %s: sent %d, delivered %d, kernel drops %d%n",
          type, size, KernelOptions.transport(), sent, delivered.get(), drops);
      assertTrue(drops >= 0, "the kernel's drop count is known here");
      assertEquals(
          sent,
          delivered.get() + drops,
          "delivered " + delivered.get() + " + dropped " + drops + " == sent " + sent);
      assertEquals(delivered.get(), receiver.stats().datagramsReceived()); // a fresh snapshot
      assertEquals(List.of(), wrong, "no datagram corrupted or duplicated");
      assertTrue(drops > 0, "the slow listener made the kernel drop some (else the test is moot)");
    } finally {
      closeAll(receiver);
    }
  }

  /** stats() on a closed socket gives the final counts. */
  @Test
  void statsAfterCloseKeepTheFinalCounts() {
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket sender = Sockets.bound("udp4");
    Inbox inbox = new Inbox(receiver);
    Sent sent = new Sent();
    sender.send("final", receiver.address().port(), "127.0.0.1", sent);
    sent.bytes("the send");
    inbox.next("final", "the datagram");
    closeAll(sender, receiver);
    assertEquals(1, sender.stats().datagramsSent());
    assertEquals(1, receiver.stats().datagramsReceived());
    assertEquals(0, receiver.stats().kernelDrops());
  }

  private static void fill(ByteBuffer buf, int seq, int size) {
    buf.clear();
    buf.putInt(seq);
    for (int i = 4; i < size - 8; i++) {
      buf.put((byte) (seq * 31 + i));
    }
    CRC32 crc = new CRC32();
    crc.update(buf.array(), 0, size - 8);
    buf.putLong(crc.getValue());
    buf.flip();
  }

  /** The datagram's sequence number, or -1 (noted in {@code wrong}) if it is not intact. */
  private static int check(byte[] msg, int size, List<String> wrong) {
    if (msg.length != size) {
      wrong.add("size " + msg.length);
      return -1;
    }
    CRC32 crc = new CRC32();
    crc.update(msg, 0, size - 8);
    if (ByteBuffer.wrap(msg, size - 8, 8).getLong() != crc.getValue()) {
      wrong.add("checksum");
      return -1;
    }
    return ByteBuffer.wrap(msg).getInt();
  }
}
