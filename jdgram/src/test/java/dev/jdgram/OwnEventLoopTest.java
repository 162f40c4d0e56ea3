package dev.jdgram;

import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jdgram.Sockets.Inbox;
import dev.jdgram.Sockets.Sent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code SocketOptions.ownEventLoop}: sockets on loops apart from the shared one, spread over the
 * processors; with reusePort, several such sockets serve one port.
 */
class OwnEventLoopTest {

  /** The thread a socket's 'message' listener runs on, after one datagram to it. */
  private static Thread listenerThread(DgramSocket s) {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    s.on(DgramSocket.MESSAGE, (msg, rinfo) -> thread.complete(Thread.currentThread()));
    DgramSocket sender = Sockets.bound("udp4");
    try {
      sender.send("which-thread", s.address().port(), "127.0.0.1");
      return await(thread, "the listener");
    } finally {
      closeAll(sender);
    }
  }

  @Test
  void aSocketWithItsOwnLoopRunsItsListenersOnIt() {
    DgramSocket shared = Sockets.bound("udp4");
    DgramSocket own = Dgram.createSocket(SocketOptions.of("udp4").ownEventLoop(true));
    try {
      Sockets.bound(own, "127.0.0.1");
      Thread sharedThread = listenerThread(shared);
      Thread ownThread = listenerThread(own);
      assertNotEquals(sharedThread, ownThread);
      assertTrue(ownThread.getName().startsWith("jdgram-"), ownThread.getName());
      assertTrue(ownThread.getName().contains("-own"), ownThread.getName());
      assertTrue(ownThread.isDaemon(), "a loop alone never keeps the JVM alive");
    } finally {
      closeAll(shared, own);
    }
  }

  @Test
  void socketsOnOwnLoopsAreSpreadOverTheProcessorsAndGiveTheirLoopBack() {
    int processors = Runtime.getRuntime().availableProcessors();
    SocketOptions options = SocketOptions.of("udp4").ownEventLoop(true);
    List<DgramSocket> sockets = new ArrayList<>();
    try {
      Set<Thread> threads = new java.util.HashSet<>();
      for (int i = 0; i < processors; i++) {
        DgramSocket s = Dgram.createSocket(options);
        sockets.add(s);
        Sockets.bound(s, "127.0.0.1");
        threads.add(listenerThread(s));
      }
      assertEquals(processors, threads.size(), "one loop per socket while there are enough");
      DgramSocket first = sockets.remove(0);
      Thread freed = listenerThread(first);
      closeAll(first);
      DgramSocket next = Dgram.createSocket(options);
      sockets.add(next);
      Sockets.bound(next, "127.0.0.1");
      assertEquals(freed, listenerThread(next), "a closed socket's loop is the least used again");
    } finally {
      closeAll(sockets.toArray(new DgramSocket[0]));
    }
  }

  @Test
  void reusePortSocketsOnTheirOwnLoopsShareOnePort() {
    SocketOptions options = SocketOptions.of("udp4").reusePort(true).ownEventLoop(true);
    DgramSocket first = Dgram.createSocket(options);
    DgramSocket second = Dgram.createSocket(options);
    List<DgramSocket> senders = new ArrayList<>();
    try {
      int port = Sockets.bound(first, "127.0.0.1").address().port();
      CompletableFuture<Void> bound = new CompletableFuture<>();
      second.bind(port, "127.0.0.1", () -> bound.complete(null));
      await(bound, "the second bind to the same port");
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      Inbox firstInbox = new Inbox(first);
      Inbox secondInbox = new Inbox(second);
      first.on(DgramSocket.MESSAGE, (m, r) -> threads.add(Thread.currentThread()));
      second.on(DgramSocket.MESSAGE, (m, r) -> threads.add(Thread.currentThread()));
      // The kernel picks a socket by the sender's address and port: 32 senders all landing on one
      // of two sockets would happen once in 2^31 runs.
      for (int i = 0; i < 32; i++) {
        DgramSocket sender = Sockets.bound("udp4");
        senders.add(sender);
        Sent sent = new Sent();
        sender.send("spread-" + i, port, "127.0.0.1", sent);
        sent.bytes("send " + i);
      }
      int got = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Sockets.WAIT_SECONDS);
      int a = 0;
      int b = 0;
      while (got < 32 && System.nanoTime() < deadline) {
        a += firstInbox.drain().size();
        b += secondInbox.drain().size();
        got = a + b;
        Thread.onSpinWait();
      }
      if (got != 32) {
        fail("received " + got + " of 32 datagrams");
      }
      assertTrue(a > 0 && b > 0, "both sockets served the port: " + a + " and " + b);
      assertEquals(2, threads.size(), "each socket's listener ran on its own loop");
    } finally {
      senders.add(first);
      senders.add(second);
      closeAll(senders.toArray(new DgramSocket[0]));
    }
  }
}
