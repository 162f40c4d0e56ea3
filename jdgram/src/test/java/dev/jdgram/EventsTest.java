package dev.jdgram;

import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAndWait;
import static dev.jdgram.Sockets.firstError;
import static dev.jdgram.Sockets.listening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Node's EventEmitter semantics on a socket, and the threading contract of its listeners. */
class EventsTest {
  /** Binds {@code s} to a random loopback port and waits for 'listening' (and its listeners). */
  private static void bindAndWait(DgramSocket s) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, done::completeExceptionally);
    s.bind(0, "127.0.0.1", () -> done.complete(null));
    await(done, "'listening'");
  }

  // ------------------------------------------------------------------ EventEmitter

  /**
   * Node's EventEmitter: listeners run in registration order, prependListener and
   * prependOnceListener put theirs first, and the emitter methods return the socket.
   */
  @Test
  void listenersRunInRegistrationOrderPrependedFirst() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      assertSame(s, s.on(DgramSocket.LISTENING, () -> order.add("a")));
      assertSame(s, s.on(DgramSocket.LISTENING, () -> order.add("b")));
      assertSame(s, s.prependListener(DgramSocket.LISTENING, () -> order.add("c")));
      assertSame(s, s.prependOnceListener(DgramSocket.LISTENING, () -> order.add("d")));
      assertSame(s, s.once(DgramSocket.LISTENING, () -> order.add("e")));
      assertEquals(5, s.listenerCount(DgramSocket.LISTENING));
      bindAndWait(s); // the bind callback is added last
      assertEquals(List.of("d", "c", "a", "b", "e"), order);
      assertEquals(3, s.listenerCount(DgramSocket.LISTENING), "the once listeners are gone");
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's EventEmitter: the same listener added twice is called twice. */
  @Test
  void sameListenerAddedTwiceRunsTwice() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      AtomicInteger calls = new AtomicInteger();
      Runnable listener = calls::incrementAndGet;
      s.on(DgramSocket.LISTENING, listener);
      s.on(DgramSocket.LISTENING, listener);
      assertEquals(2, s.listenerCount(DgramSocket.LISTENING));
      bindAndWait(s);
      assertEquals(2, calls.get());
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's once: the listener is removed before it runs, and runs for the first event only. */
  @Test
  void onceListenerIsRemovedBeforeItRuns() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      Sockets.Inbox inbox = new Sockets.Inbox(s);
      List<Integer> countsInside = Collections.synchronizedList(new ArrayList<>());
      List<String> onceGot = Collections.synchronizedList(new ArrayList<>());
      s.once(
          DgramSocket.MESSAGE,
          (msg, rinfo) -> {
            countsInside.add(s.listenerCount(DgramSocket.MESSAGE));
            onceGot.add(new String(msg));
          });
      assertEquals(2, s.listenerCount(DgramSocket.MESSAGE));
      int port = s.address().port();
      s.send("one", port, "127.0.0.1");
      s.send("two", port, "127.0.0.1");
      assertEquals("one", inbox.next("the first datagram").text());
      assertEquals("two", inbox.next("the second datagram").text());
      assertEquals(List.of("one"), onceGot, "the once listener ran for the first datagram only");
      assertEquals(List.of(1), countsInside, "removed before it ran");
      assertEquals(1, s.listenerCount(DgramSocket.MESSAGE));
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's removeListener removes the most recently added instance of the listener. */
  @Test
  void offRemovesMostRecentInstance() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      Runnable a = () -> order.add("a");
      s.on(DgramSocket.LISTENING, a);
      s.on(DgramSocket.LISTENING, () -> order.add("b"));
      s.on(DgramSocket.LISTENING, a);
      assertSame(s, s.off(DgramSocket.LISTENING, a));
      assertEquals(2, s.listenerCount(DgramSocket.LISTENING));
      bindAndWait(s);
      assertEquals(List.of("a", "b"), order, "the last 'a' was removed, not the first");
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's removeListener finds a once-listener by the listener that was passed to once(). */
  @Test
  void offRemovesOnceListenerByOriginal() throws Exception {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      AtomicInteger calls = new AtomicInteger();
      Runnable listener = calls::incrementAndGet;
      s.once(DgramSocket.LISTENING, listener);
      s.prependOnceListener(DgramSocket.LISTENING, listener);
      s.off(DgramSocket.LISTENING, listener);
      assertEquals(1, s.listenerCount(DgramSocket.LISTENING));
      s.off(DgramSocket.LISTENING, listener);
      assertEquals(0, s.listenerCount(DgramSocket.LISTENING));
      bindAndWait(s);
      Sockets.barrier("the removed once-listeners"); // 'listening' is emitted in one loop task
      assertEquals(0, calls.get(), "the removed once-listeners did not run");
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's off of a listener that is not registered does nothing. */
  @Test
  void offOfUnknownListenerDoesNothing() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      Runnable registered = () -> {};
      s.on(DgramSocket.CLOSE, registered);
      assertSame(s, s.off(DgramSocket.CLOSE, () -> {}));
      assertSame(s, s.off(DgramSocket.LISTENING, registered));
      assertEquals(1, s.listenerCount(DgramSocket.CLOSE));
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's removeAllListeners(event) removes that event's listeners and no other's. */
  @Test
  void removeAllListenersRemovesOnlyThatEvent() throws Exception {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      AtomicInteger listened = new AtomicInteger();
      s.on(DgramSocket.LISTENING, listened::incrementAndGet);
      s.once(DgramSocket.LISTENING, listened::incrementAndGet);
      s.on(DgramSocket.MESSAGE, (msg, rinfo) -> {});
      assertSame(s, s.removeAllListeners(DgramSocket.LISTENING));
      assertEquals(0, s.listenerCount(DgramSocket.LISTENING));
      assertEquals(1, s.listenerCount(DgramSocket.MESSAGE));
      bindAndWait(s);
      Sockets.barrier("the removed 'listening' listeners");
      assertEquals(0, listened.get());
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's listenerCount counts each event's listeners, on, once and prepended alike. */
  @Test
  void listenerCountCountsEachEvent() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      for (Event<?> e :
          List.of(
              DgramSocket.CLOSE,
              DgramSocket.CONNECT,
              DgramSocket.ERROR,
              DgramSocket.LISTENING,
              DgramSocket.MESSAGE)) {
        assertEquals(0, s.listenerCount(e), e.name());
      }
      s.on(DgramSocket.CLOSE, () -> {});
      s.once(DgramSocket.CLOSE, () -> {});
      s.prependListener(DgramSocket.CONNECT, () -> {});
      s.on(DgramSocket.ERROR, err -> {});
      assertEquals(2, s.listenerCount(DgramSocket.CLOSE));
      assertEquals(1, s.listenerCount(DgramSocket.CONNECT));
      assertEquals(1, s.listenerCount(DgramSocket.ERROR));
      assertEquals(0, s.listenerCount(DgramSocket.MESSAGE));
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's event names: 'close', 'connect', 'error', 'listening', 'message'. */
  @Test
  void eventNamesAreNodes() {
    assertEquals("close", DgramSocket.CLOSE.name());
    assertEquals("connect", DgramSocket.CONNECT.name());
    assertEquals("error", DgramSocket.ERROR.name());
    assertEquals("listening", DgramSocket.LISTENING.name());
    assertEquals("message", DgramSocket.MESSAGE.name());
  }

  /** Node's EventEmitter rejects a listener that is not a function: ERR_INVALID_ARG_TYPE. */
  @Test
  void nullListenerThrowsInvalidArgType() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      Map<String, Executable> calls = new LinkedHashMap<>();
      calls.put("on", () -> s.on(DgramSocket.MESSAGE, null));
      calls.put("once", () -> s.once(DgramSocket.LISTENING, null));
      calls.put("prependListener", () -> s.prependListener(DgramSocket.ERROR, null));
      calls.put("prependOnceListener", () -> s.prependOnceListener(DgramSocket.CLOSE, null));
      calls.put("off", () -> s.off(DgramSocket.CONNECT, null));
      calls.forEach(
          (name, call) -> {
            DgramException e = assertThrows(DgramException.class, call, name);
            assertEquals("ERR_INVALID_ARG_TYPE", e.code(), name);
            assertEquals(
                "The \"listener\" argument must be of type function. Received null",
                e.getMessage(),
                name);
          });
      for (Event<?> e : List.of(DgramSocket.MESSAGE, DgramSocket.LISTENING, DgramSocket.ERROR)) {
        assertEquals(0, s.listenerCount(e), "nothing was added to " + e.name());
      }
    } finally {
      closeAndWait(s);
    }
  }

  /** Node's createSocket(type, callback) adds the callback as a 'message' listener. */
  @Test
  void createSocketWithListenerAddsMessageListener() {
    CompletableFuture<RemoteInfo> got = new CompletableFuture<>();
    DgramSocket s = Dgram.createSocket("udp4", (msg, rinfo) -> got.complete(rinfo));
    DgramSocket options = Dgram.createSocket(SocketOptions.of("udp4"), (msg, rinfo) -> {});
    try {
      assertEquals(1, s.listenerCount(DgramSocket.MESSAGE));
      assertEquals(1, options.listenerCount(DgramSocket.MESSAGE));
      bindAndWait(s);
      int port = s.address().port();
      s.send("hello", port, "127.0.0.1");
      assertEquals(
          new RemoteInfo("127.0.0.1", "IPv4", port, 5),
          await(got, "the datagram at the createSocket listener"));
    } finally {
      closeAndWait(s);
      closeAndWait(options);
    }
  }

  /** Node's createSocket with a type other than udp4 or udp6 throws ERR_SOCKET_BAD_TYPE. */
  @Test
  void createSocketWithBadTypeThrowsBadType() {
    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("udp5", () -> Dgram.createSocket("udp5"));
    calls.put("UDP4", () -> Dgram.createSocket("UDP4"));
    calls.put("udp5 with listener", () -> Dgram.createSocket("udp5", (msg, rinfo) -> {}));
    calls.put("options udp5", () -> Dgram.createSocket(SocketOptions.of("udp5")));
    calls.forEach(
        (name, call) -> {
          DgramException e = assertThrows(DgramException.class, call, name);
          assertEquals("ERR_SOCKET_BAD_TYPE", e.code(), name);
          assertEquals(
              "Bad socket type specified. Valid types are: udp4, udp6", e.getMessage(), name);
        });
  }

  // ------------------------------------------------------------------ datagrams

  /** Node passes one Buffer to every 'message' listener of a datagram: the same array here. */
  @Test
  void allMessageListenersReceiveTheSameArray() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      CompletableFuture<byte[]> first = new CompletableFuture<>();
      CompletableFuture<byte[]> second = new CompletableFuture<>();
      s.on(DgramSocket.MESSAGE, (msg, rinfo) -> first.complete(msg));
      s.on(DgramSocket.MESSAGE, (msg, rinfo) -> second.complete(msg));
      s.send("shared", s.address().port(), "127.0.0.1");
      byte[] a = await(first, "the first listener");
      byte[] b = await(second, "the second listener");
      assertSame(a, b);
      assertEquals("shared", new String(a));
    } finally {
      closeAndWait(s);
    }
  }

  // ------------------------------------------------------------------ threading

  /**
   * Node runs every callback on its one loop: every listener and callback of every socket runs on
   * one jdgram loop thread, never the caller's.
   */
  @Test
  void everyListenerAndCallbackRunsOnTheLoopThread() {
    DgramSocket a = Dgram.createSocket("udp4");
    DgramSocket b = Dgram.createSocket("udp4");
    DgramSocket holder = Sockets.bound("udp4");
    DgramSocket failing = Dgram.createSocket("udp4");
    try {
      Map<String, Thread> threads = new ConcurrentHashMap<>();
      CompletableFuture<Void> aListening = new CompletableFuture<>();
      a.on(DgramSocket.LISTENING, () -> threads.put("a listening", Thread.currentThread()));
      a.bind(
          0,
          "127.0.0.1",
          () -> {
            threads.put("a bind callback", Thread.currentThread());
            aListening.complete(null);
          });
      CompletableFuture<Void> bListening = listening(b).thenAccept(x -> {});
      b.on(DgramSocket.LISTENING, () -> threads.put("b listening", Thread.currentThread()));
      b.bind(0, "127.0.0.1");
      await(aListening, "a 'listening'");
      await(bListening, "b 'listening'");

      CompletableFuture<Void> received = new CompletableFuture<>();
      b.on(
          DgramSocket.MESSAGE,
          (msg, rinfo) -> {
            threads.put("b message", Thread.currentThread());
            received.complete(null);
          });
      CompletableFuture<Void> sent = new CompletableFuture<>();
      a.send(
          "x",
          b.address().port(),
          "127.0.0.1",
          (err, n) -> {
            threads.put("a send callback", Thread.currentThread());
            sent.complete(null);
          });
      await(sent, "the send callback");
      await(received, "the datagram");

      CompletableFuture<Void> failed = new CompletableFuture<>();
      failing.on(
          DgramSocket.ERROR,
          err -> {
            threads.put("error listener", Thread.currentThread());
            failed.complete(null);
          });
      failing.bind(holder.address().port(), "127.0.0.1");
      await(failed, "'error' of a bind to a port in use");

      CompletableFuture<Void> closed = new CompletableFuture<>();
      a.on(DgramSocket.CLOSE, () -> threads.put("a close listener", Thread.currentThread()));
      a.close(
          () -> {
            threads.put("a close callback", Thread.currentThread());
            closed.complete(null);
          });
      await(closed, "the close callback");
      CompletableFuture<Void> closedAgain = new CompletableFuture<>();
      a.close(
          () -> {
            threads.put("close callback on a closed socket", Thread.currentThread());
            closedAgain.complete(null);
          });
      await(closedAgain, "the close callback on a closed socket");

      assertEquals(9, threads.size(), "every callback ran: " + threads.keySet());
      Thread loop = threads.get("a listening");
      assertNotSame(Thread.currentThread(), loop, "not the caller's thread");
      assertTrue(loop.getName().startsWith("jdgram-"), "a jdgram loop thread: " + loop.getName());
      threads.forEach((what, t) -> assertSame(loop, t, what + " ran on " + t.getName()));
    } finally {
      closeAndWait(a);
      closeAndWait(b);
      closeAndWait(failing);
      closeAndWait(holder);
    }
  }

  /**
   * Node never calls back synchronously: calls made on the loop thread itself (from a listener)
   * return before any callback or event they cause runs.
   */
  @Test
  void callbacksNeverRunInsideTheCallThatCausedThem() {
    DgramSocket a = Dgram.createSocket("udp4");
    DgramSocket b = Dgram.createSocket("udp4");
    DgramSocket unbound = Dgram.createSocket("udp4");
    DgramSocket closed = Dgram.createSocket("udp4");
    DgramSocket holder = Sockets.bound("udp4");
    DgramSocket failing = Dgram.createSocket("udp4");
    try {
      closeAndWait(closed);
      boolean[] inside = new boolean[1];
      Map<String, Boolean> ranInside = new ConcurrentHashMap<>();
      CompletableFuture<Void> allDone = new CompletableFuture<>();
      AtomicInteger pending = new AtomicInteger(5);
      java.util.function.Consumer<String> record =
          what -> {
            ranInside.put(what, inside[0]);
            if (pending.decrementAndGet() == 0) {
              allDone.complete(null);
            }
          };
      failing.on(DgramSocket.ERROR, err -> record.accept("'error' of a failed bind"));
      a.on(
          DgramSocket.LISTENING,
          () -> {
            inside[0] = true;
            try {
              b.bind(0, "127.0.0.1", () -> record.accept("bind callback"));
              a.send(
                  "self",
                  a.address().port(),
                  "127.0.0.1",
                  (e, n) -> record.accept("send callback"));
              unbound.close(() -> record.accept("close callback"));
              closed.close(() -> record.accept("close callback on a closed socket"));
              failing.bind(holder.address().port(), "127.0.0.1");
            } finally {
              inside[0] = false;
            }
          });
      a.bind(0, "127.0.0.1");
      await(allDone, "every callback");
      Map<String, Boolean> expected = new LinkedHashMap<>();
      for (String what : ranInside.keySet()) {
        expected.put(what, false);
      }
      assertEquals(expected, ranInside, "true: it ran inside the call that caused it");
    } finally {
      closeAndWait(a);
      closeAndWait(b);
      closeAndWait(unbound);
      closeAndWait(failing);
      closeAndWait(holder);
    }
  }

  // ------------------------------------------------------------------ uncaught

  /**
   * Node: an exception thrown by a listener is uncaught (there: the process's 'uncaughtException');
   * here it goes to the loop thread's uncaught-exception handler, and the remaining listeners still
   * run and the socket keeps receiving.
   */
  @Test
  void listenerExceptionGoesToUncaughtHandlerAndOthersStillRun() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      RuntimeException boom = new IllegalStateException("boom from a listener");
      s.on(
          DgramSocket.MESSAGE,
          (msg, rinfo) -> {
            throw boom;
          });
      Sockets.Inbox inbox = new Sockets.Inbox(s);
      int port = s.address().port();
      s.send("first", port, "127.0.0.1");
      assertEquals("first", inbox.next("the listener after the throwing one").text());
      s.send("second", port, "127.0.0.1");
      assertEquals("second", inbox.next("a later datagram").text());
      // The handler ran before the inbox's listener, so both are there already.
      assertEquals(List.of(boom, boom), LeakCheck.takeUncaught());
    } finally {
      closeAndWait(s);
    }
  }

  /**
   * Node throws an 'error' that has no listener; here it goes to the loop thread's
   * uncaught-exception handler, and the socket is left unbound as Node leaves it.
   */
  @Test
  void errorWithoutListenerGoesToUncaughtHandler() {
    DgramSocket holder = Sockets.bound("udp4");
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      int port = holder.address().port();
      s.bind(port, "127.0.0.1");
      List<Throwable> uncaught = Sockets.awaitUncaught("the unhandled 'error'");
      assertEquals(1, uncaught.size(), "one error: " + uncaught);
      assertTrue(uncaught.get(0) instanceof DgramException, "a DgramException: " + uncaught);
      DgramException e = (DgramException) uncaught.get(0);
      assertEquals("EADDRINUSE", e.code());
      assertEquals("bind EADDRINUSE 127.0.0.1:" + port, e.getMessage());
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "127.0.0.1");
      await(listening, "a bind after the failed one");
    } finally {
      closeAndWait(s);
      closeAndWait(holder);
    }
  }

  /** With an 'error' listener nothing reaches the uncaught-exception handler. */
  @Test
  void errorWithListenerIsNotUncaught() throws Exception {
    DgramSocket holder = Sockets.bound("udp4");
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<DgramException> error = firstError(s);
      s.bind(holder.address().port(), "127.0.0.1");
      assertEquals("EADDRINUSE", await(error, "'error'").code());
      Sockets.barrier("the error reaching the uncaught-exception handler");
      assertEquals(List.of(), LeakCheck.takeUncaught());
    } finally {
      closeAndWait(s);
      closeAndWait(holder);
    }
  }
}
