package dev.jdgram;

import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAndWait;
import static dev.jdgram.Sockets.listening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Node's {@code socket.close()}, {@code 'close'}, and what a closed socket still allows. */
class CloseTest {
  /**
   * Node stops receiving in close(): no 'message' follows it, even for datagrams already queued;
   * 'close' is emitted once, last, and the close callback runs as a 'close' listener.
   */
  @Test
  void closeEmitsCloseOnceAndLastAfterMessages() throws Exception {
    DgramSocket s = Sockets.bound("udp4");
    try (java.net.DatagramSocket peer = new java.net.DatagramSocket(0, loopback())) {
      int port = s.address().port();
      List<String> events = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch allSent = new CountDownLatch(1);
      CompletableFuture<Void> callback = new CompletableFuture<>();
      s.on(
          DgramSocket.MESSAGE,
          (msg, rinfo) -> {
            events.add("message " + new String(msg, StandardCharsets.UTF_8));
            if (events.size() == 1) {
              // Hold the loop until every datagram is queued at the socket, then close it.
              awaitLatch(allSent);
              s.close(
                  () -> {
                    events.add("callback");
                    callback.complete(null);
                  });
            }
          });
      s.on(DgramSocket.CLOSE, () -> events.add("close"));
      for (int i = 1; i <= 5; i++) {
        byte[] b = ("m" + i).getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(b, b.length, new InetSocketAddress(loopback(), port)));
      }
      allSent.countDown();
      await(callback, "the close callback");
      // After 'close' (emitted once the channel is released): the close has run on the loop.
      Sockets.barrier("a late 'message' or a second 'close'");
      assertEquals(List.of("message m1", "close", "callback"), events);
    } finally {
      closeAndWait(s);
    }
  }

  /**
   * Node emits 'close' after uv_close has released the descriptor, so the port can be bound again
   * from the listener. (The JDK releases a selector-registered channel only at the selector's next
   * pass, so on NIO this needs jdgram's wait.)
   */
  @Test
  void portIsFreeAgainWhenCloseIsEmitted() throws Exception {
    for (int round = 0; round < 20; round++) {
      DgramSocket s = Sockets.bound("udp4");
      int port = s.address().port();
      CompletableFuture<String> rebind = new CompletableFuture<>();
      s.on(
          DgramSocket.CLOSE,
          () -> {
            try (java.net.DatagramSocket again =
                new java.net.DatagramSocket(new InetSocketAddress(loopback(), port))) {
              rebind.complete("bound " + again.getLocalPort());
            } catch (Exception e) {
              rebind.complete(e.toString());
            }
          });
      s.close();
      assertEquals("bound " + port, await(rebind, "'close'"), "round " + round);
    }
  }

  /** Node checks the connect state first, then finds no handle: a closed peer-bound socket. */
  @Test
  void disconnectOnClosedConnectedSocketThrowsNotRunning() {
    DgramSocket peer = Sockets.bound("udp4");
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<DgramException> connected = new CompletableFuture<>();
      s.connect(peer.address().port(), "127.0.0.1", connected::complete);
      assertEquals(null, await(connected, "connect"));
      closeAndWait(s);
      DgramException e = assertThrows(DgramException.class, s::disconnect);
      assertEquals("ERR_SOCKET_DGRAM_NOT_RUNNING", e.code());
      assertEquals("Not running", e.getMessage());
    } finally {
      closeAndWait(s);
      closeAndWait(peer);
    }
  }

  private static InetAddress loopback() throws Exception {
    return InetAddress.getByName("127.0.0.1");
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(Sockets.WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the test thread did not finish sending");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Node emits 'close' for a socket that was never bound too. */
  @Test
  void closeOfUnboundSocketEmitsClose() {
    DgramSocket s = Dgram.createSocket("udp4");
    CompletableFuture<Thread> closed = new CompletableFuture<>();
    s.on(DgramSocket.CLOSE, () -> closed.complete(Thread.currentThread()));
    s.close();
    assertNotSame(Thread.currentThread(), await(closed, "'close' of an unbound socket"));
  }

  /**
   * A second close() does nothing: Java's Closeable contract (Node would throw Not running), so no
   * exception and no second 'close'.
   */
  @Test
  void closeTwiceDoesNothing() throws Exception {
    DgramSocket s = Sockets.bound("udp4");
    AtomicInteger closes = new AtomicInteger();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    s.on(
        DgramSocket.CLOSE,
        () -> {
          closes.incrementAndGet();
          closed.complete(null);
        });
    s.close();
    s.close();
    await(closed, "'close'");
    s.close();
    Sockets.barrier("a second 'close'");
    assertEquals(1, closes.get(), "'close' emitted once");
  }

  /**
   * close(callback) on a closed socket runs the callback once, on the loop thread, and emits no
   * second 'close' (API.md; Node would throw).
   */
  @Test
  void closeCallbackOnClosedSocketRunsOnceOnLoopThread() throws Exception {
    DgramSocket s = Sockets.bound("udp4");
    AtomicInteger closes = new AtomicInteger();
    s.on(DgramSocket.CLOSE, closes::incrementAndGet);
    closeAndWait(s);
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    s.close(
        () -> {
          calls.incrementAndGet();
          ran.complete(Thread.currentThread());
        });
    Thread thread = await(ran, "the callback of close() on a closed socket");
    assertNotSame(Thread.currentThread(), thread, "ran on the loop, not the caller");
    assertTrue(thread.getName().startsWith("jdgram-"), "a loop thread: " + thread.getName());
    Sockets.barrier("a second run of the callback or a second 'close'");
    assertEquals(1, calls.get(), "the callback ran once");
    assertEquals(1, closes.get(), "no second 'close'");
  }

  /** Node's Symbol.asyncDispose resolves after 'close' has been emitted. */
  @Test
  void closeAsyncCompletesAfterClose() {
    DgramSocket s = Sockets.bound("udp4");
    boolean[] closeEmitted = new boolean[1];
    s.on(DgramSocket.CLOSE, () -> closeEmitted[0] = true);
    CompletableFuture<Boolean> sawClose = s.closeAsync().thenApply(v -> closeEmitted[0]);
    assertTrue(await(sawClose, "closeAsync()"), "'close' was emitted before the future completed");
  }

  /** Node's Symbol.asyncDispose on a closed socket does nothing: a completed future. */
  @Test
  void closeAsyncOnClosedSocketIsAlreadyComplete() {
    DgramSocket s = Sockets.bound("udp4");
    closeAndWait(s);
    CompletableFuture<Void> again = s.closeAsync();
    assertTrue(again.isDone(), "complete at once");
    assertFalse(again.isCompletedExceptionally());
  }

  /** Node's healthCheck: methods of a closed, once bound socket throw Not running. */
  @Test
  void methodsOnClosedSocketThrowNotRunning() {
    DgramSocket s = Sockets.bound("udp4");
    closeAndWait(s);
    assertAllNotRunning(s);
  }

  /** Node's healthCheck: methods of a socket closed before it was ever bound throw Not running. */
  @Test
  void methodsOnClosedUnboundSocketThrowNotRunning() {
    DgramSocket s = Dgram.createSocket("udp4");
    closeAndWait(s);
    assertAllNotRunning(s);
  }

  private static void assertAllNotRunning(DgramSocket s) {
    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("bind()", s::bind);
    calls.put("bind(0, address)", () -> s.bind(0, "127.0.0.1"));
    calls.put("bind(options)", () -> s.bind(BindOptions.of()));
    calls.put("send", () -> s.send("x", 9, "127.0.0.1"));
    calls.put("send with callback", () -> s.send("x".getBytes(), 9, (err, n) -> {}));
    calls.put("connect", () -> s.connect(9));
    calls.put("address", s::address);
    calls.put("remoteAddress", s::remoteAddress);
    calls.put("setTTL", () -> s.setTTL(64));
    calls.put("setBroadcast", () -> s.setBroadcast(true));
    calls.put("setMulticastTTL", () -> s.setMulticastTTL(1));
    calls.put("setMulticastLoopback", () -> s.setMulticastLoopback(true));
    calls.put("setMulticastInterface", () -> s.setMulticastInterface("127.0.0.1"));
    calls.put("getRecvBufferSize", s::getRecvBufferSize);
    calls.put("getSendBufferSize", s::getSendBufferSize);
    calls.put("setRecvBufferSize", () -> s.setRecvBufferSize(8192));
    calls.put("setSendBufferSize", () -> s.setSendBufferSize(8192));
    calls.put("getSendQueueSize", s::getSendQueueSize);
    calls.put("getSendQueueCount", s::getSendQueueCount);
    calls.put("addMembership", () -> s.addMembership("239.1.2.3"));
    calls.put("dropMembership", () -> s.dropMembership("239.1.2.3"));
    calls.put(
        "addSourceSpecificMembership",
        () -> s.addSourceSpecificMembership("127.0.0.1", "232.1.2.3"));
    List<String> wrong = new ArrayList<>();
    calls.forEach(
        (name, call) -> {
          try {
            call.execute();
            wrong.add(name + " did not throw");
          } catch (DgramException e) {
            if (!"ERR_SOCKET_DGRAM_NOT_RUNNING".equals(e.code())
                || !"Not running".equals(e.getMessage())) {
              wrong.add(name + " threw " + e.code() + " " + e.getMessage());
            }
          } catch (Throwable t) {
            wrong.add(name + " threw " + t);
          }
        });
    assertEquals(List.of(), wrong, "calls on a closed socket");
    assertSame(s, s.ref(), "ref() returns the socket");
    assertSame(s, s.unref(), "unref() returns the socket");
  }

  /**
   * Node drops a bind whose address lookup finishes after close(): 'close' once, no 'listening', no
   * 'error', and no descriptor is left open.
   */
  @Test
  void closeDuringPendingBindEmitsOnlyClose() throws Exception {
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    CompletableFuture<String> asked = new CompletableFuture<>();
    Lookup lookup =
        (host, family) -> {
          asked.complete(host);
          return answer;
        };
    DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").lookup(lookup));
    try {
      List<String> events = Collections.synchronizedList(new ArrayList<>());
      s.on(DgramSocket.LISTENING, () -> events.add("listening"));
      s.on(DgramSocket.ERROR, e -> events.add("error " + e));
      s.on(DgramSocket.CLOSE, () -> events.add("close"));
      s.bind(0, "slow.example", () -> events.add("bind callback"));
      assertEquals("slow.example", await(asked, "the lookup of the bind address"));
      closeAndWait(s);
      // complete() hands the answer to the loop itself: the bind registered its continuation
      // before 'close' ran, so the late bind's task is queued ahead of the marker.
      answer.complete(InetAddress.getLoopbackAddress());
      Sockets.barrier("a late bind's 'listening' or 'error'");
      assertEquals(List.of("close"), events);
    } finally {
      answer.complete(InetAddress.getLoopbackAddress());
      closeAndWait(s);
    }
  }

  /**
   * Node queues a close() issued while an implicit bind is pending behind the sends waiting for it,
   * so a send called just before close() on an unbound socket is still delivered.
   */
  @Test
  void sendRightBeforeCloseOnUnboundSocketIsDelivered() {
    DgramSocket receiver = Sockets.bound("udp4");
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      Sockets.Inbox inbox = new Sockets.Inbox(receiver);
      CompletableFuture<Void> closed = new CompletableFuture<>();
      s.on(DgramSocket.CLOSE, () -> closed.complete(null));
      Sockets.Sent sent = new Sockets.Sent();
      s.send("last words", receiver.address().port(), "127.0.0.1", sent);
      s.close();
      assertEquals(10, sent.bytes("the send before close()"));
      assertEquals("last words", inbox.next("the datagram sent before close()").text());
      await(closed, "'close' after the queued send");
    } finally {
      closeAndWait(s);
      closeAndWait(receiver);
    }
  }

  /** Node's signal option: aborting the controller closes the socket and 'close' is emitted. */
  @Test
  void abortSignalClosesSocket() throws Exception {
    AbortController controller = new AbortController();
    DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").signal(controller.signal()));
    try {
      AtomicInteger closes = new AtomicInteger();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      s.on(
          DgramSocket.CLOSE,
          () -> {
            closes.incrementAndGet();
            closed.complete(null);
          });
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "127.0.0.1");
      await(listening, "the bind");
      controller.abort();
      await(closed, "'close' after abort()");
      assertThrows(DgramException.class, s::address, "closed by the abort");
      controller.abort(); // aborting again changes nothing
      Sockets.barrier("a second 'close'"); // abort listeners run in abort(), on this thread
      assertEquals(1, closes.get(), "'close' emitted once");
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's signal option with an already aborted signal closes the socket right away. */
  @Test
  void alreadyAbortedSignalClosesAtOnce() {
    DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").signal(AbortSignal.abort()));
    try {
      DgramException e = assertThrows(DgramException.class, () -> s.bind(0, "127.0.0.1"));
      assertEquals("ERR_SOCKET_DGRAM_NOT_RUNNING", e.code());
      assertTrue(s.closeAsync().isDone(), "closed already");
    } finally {
      closeAndWait(s);
    }
  }

  /** An abort after the socket was closed does nothing: the signal no longer refers to it. */
  @Test
  void abortAfterCloseDoesNothing() throws Exception {
    AbortController controller = new AbortController();
    DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").signal(controller.signal()));
    AtomicInteger closes = new AtomicInteger();
    s.on(DgramSocket.CLOSE, closes::incrementAndGet);
    closeAndWait(s);
    controller.abort();
    Sockets.barrier("a second 'close'"); // abort listeners run in abort(), on this thread
    assertEquals(1, closes.get(), "'close' emitted once");
  }

  /** AutoCloseable: try-with-resources closes the socket ('close' is emitted). */
  @Test
  void tryWithResourcesClosesSocket() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    DgramSocket escaped;
    try (DgramSocket s = Dgram.createSocket("udp4")) {
      escaped = s;
      s.on(DgramSocket.CLOSE, () -> closed.complete(null));
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "127.0.0.1");
      await(listening, "the bind");
    }
    await(closed, "'close' after try-with-resources");
    assertThrows(DgramException.class, escaped::address, "closed");
  }

  /**
   * Node (test-dgram-close-signal): a socket created with an already-aborted signal is closed on
   * the next tick, so a 'close' listener added right after createSocket always gets 'close',
   * exactly once. jdgram closes it at once (every call after createSocket throws Not running) and
   * hands 'close' to a listener added after it was emitted. Many rounds, as the race was timing.
   */
  @Test
  void closeListenerAddedRightAfterCreateWithAbortedSignalRunsExactlyOnce() {
    int rounds = 300;
    AtomicInteger[] counts = new AtomicInteger[rounds];
    List<CompletableFuture<Void>> closed = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      AtomicInteger count = new AtomicInteger();
      counts[i] = count;
      CompletableFuture<Void> done = new CompletableFuture<>();
      closed.add(done);
      DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").signal(AbortSignal.abort()));
      Runnable onClose =
          () -> {
            count.incrementAndGet();
            done.complete(null);
          };
      if (i % 3 == 0) {
        s.once(DgramSocket.CLOSE, onClose);
      } else if (i % 3 == 1) {
        s.on(DgramSocket.CLOSE, onClose);
      } else {
        s.prependListener(DgramSocket.CLOSE, onClose);
      }
      if (i % 10 == 0) {
        Thread.yield(); // vary the timing: sometimes the loop has emitted 'close' already
      }
    }
    for (int i = 0; i < rounds; i++) {
      await(closed.get(i), "'close' of the socket created with an aborted signal, round " + i);
    }
    Sockets.barrier("a second 'close'");
    for (int i = 0; i < rounds; i++) {
      assertEquals(1, counts[i].get(), "'close' runs exactly once, round " + i);
    }
  }
}
