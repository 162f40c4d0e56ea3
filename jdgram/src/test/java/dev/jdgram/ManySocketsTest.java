package dev.jdgram;

import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many sockets on one loop cost no read memory of their own: the loop's one read buffer serves them
 * all (a server with thousands of sockets, or one that opens and closes sockets all day).
 */
class ManySocketsTest {
  private static final int SOCKETS = 200;

  private static BufferPoolMXBean direct() {
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if ("direct".equals(pool.getName())) {
        return pool;
      }
    }
    throw new AssertionError("no direct buffer pool MXBean");
  }

  /** One datagram to each socket, then waits until every one has arrived. */
  private static void oneDatagramEach(List<DgramSocket> sockets) throws InterruptedException {
    CountDownLatch arrived = new CountDownLatch(sockets.size());
    for (DgramSocket s : sockets) {
      s.once(DgramSocket.MESSAGE, (msg, rinfo) -> arrived.countDown());
    }
    DgramSocket sender = Sockets.bound("udp4");
    try {
      for (DgramSocket s : sockets) {
        sender.send("hello", s.address().port(), "127.0.0.1");
      }
      assertTrue(
          arrived.await(Sockets.WAIT_SECONDS, TimeUnit.SECONDS),
          arrived.getCount() + " of " + sockets.size() + " sockets got nothing");
    } finally {
      closeAll(sender);
    }
  }

  private static List<DgramSocket> open(int n) {
    List<DgramSocket> sockets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sockets.add(Sockets.bound(Dgram.createSocket("udp4"), "127.0.0.1"));
    }
    return sockets;
  }

  @Test
  void socketsOnOneLoopShareOneReadBufferAndClosingThemLeavesNoneBehind() throws Exception {
    List<DgramSocket> warm = open(1);
    oneDatagramEach(warm); // the shared loop's read buffer exists from here on
    closeAll(warm.toArray(new DgramSocket[0]));
    BufferPoolMXBean pool = direct();
    long before = pool.getMemoryUsed();

    for (int round = 0; round < 3; round++) {
      List<DgramSocket> sockets = open(SOCKETS);
      try {
        oneDatagramEach(sockets);
      } finally {
        closeAll(sockets.toArray(new DgramSocket[0]));
      }
    }

    long grown = pool.getMemoryUsed() - before;
    // A read buffer is 64 KiB (NIO) or 1 MiB (epoll): one per socket would be 37 MiB or more here.
    assertTrue(
        grown < 4L << 20,
        "direct memory grew by " + grown + " bytes over 3 x " + SOCKETS + " sockets");
  }

  @Test
  void twoSocketsOnOneLoopEachGetTheirOwnDatagramWhole() {
    // Two sockets, one loop: each datagram is read into the shared buffer and copied out, so
    // interleaved deliveries never see each other's bytes.
    List<DgramSocket> sockets = open(2);
    DgramSocket sender = Sockets.bound("udp4");
    try {
      List<CompletableFuture<String>> got = new ArrayList<>();
      for (DgramSocket s : sockets) {
        CompletableFuture<String> f = new CompletableFuture<>();
        s.once(
            DgramSocket.MESSAGE,
            (msg, rinfo) -> f.complete(new String(msg, StandardCharsets.UTF_8)));
        got.add(f);
      }
      sender.send("first-".repeat(100), sockets.get(0).address().port(), "127.0.0.1");
      sender.send("second", sockets.get(1).address().port(), "127.0.0.1");
      assertEquals("first-".repeat(100), await(got.get(0), "the first socket's datagram"));
      assertEquals("second", await(got.get(1), "the second socket's datagram"));
    } finally {
      closeAll(sender);
      closeAll(sockets.toArray(new DgramSocket[0]));
    }
  }
}
