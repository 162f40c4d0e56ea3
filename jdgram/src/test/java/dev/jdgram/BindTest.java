package dev.jdgram;

import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAndWait;
import static dev.jdgram.Sockets.firstError;
import static dev.jdgram.Sockets.listening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Node's {@code socket.bind()}: its forms, {@code 'listening'}, and how a bind fails. */
class BindTest {
  /** TEST-NET-1 (RFC 5737): an address no interface of this host has. Nothing is sent to it. */
  private static final String NON_LOCAL = "192.0.2.1";

  // ------------------------------------------------------------------ forms

  static Stream<Arguments> formsWithoutCallback() {
    return Stream.of(
        arguments("bind()", "0.0.0.0", (Function<DgramSocket, DgramSocket>) DgramSocket::bind),
        arguments("bind(0)", "0.0.0.0", (Function<DgramSocket, DgramSocket>) s -> s.bind(0)),
        arguments(
            "bind(0, \"127.0.0.1\")",
            "127.0.0.1",
            (Function<DgramSocket, DgramSocket>) s -> s.bind(0, "127.0.0.1")),
        arguments(
            "bind(BindOptions.of())",
            "0.0.0.0",
            (Function<DgramSocket, DgramSocket>) s -> s.bind(BindOptions.of())),
        arguments(
            "bind(BindOptions address 127.0.0.1)",
            "127.0.0.1",
            (Function<DgramSocket, DgramSocket>)
                s -> s.bind(BindOptions.of().port(0).address("127.0.0.1"))),
        arguments(
            "bind(BindOptions address localhost)",
            "127.0.0.1",
            (Function<DgramSocket, DgramSocket>)
                s -> s.bind(BindOptions.of().address("localhost"))));
  }

  /**
   * Node: each bind form without a callback returns the socket, binds a random port on the given
   * address (all interfaces when none; a host name goes through lookup) and emits 'listening'.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formsWithoutCallback")
  void bindFormWithoutCallbackListensOnItsAddress(
      String form, String expected, Function<DgramSocket, DgramSocket> bind) {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<AddressInfo> listening = listening(s);
      assertSame(s, bind.apply(s), form + " returns the socket");
      AddressInfo a = await(listening, "'listening' after " + form);
      assertEquals(expected, a.address());
      assertEquals("IPv4", a.family());
      assertTrue(a.port() > 0, "a random port was chosen: " + a);
    } finally {
      closeAndWait(s);
    }
  }

  static Stream<Arguments> formsWithCallback() {
    return Stream.of(
        arguments(
            "bind(callback)",
            "0.0.0.0",
            (BiFunction<DgramSocket, Runnable, DgramSocket>) DgramSocket::bind),
        arguments(
            "bind(0, callback)",
            "0.0.0.0",
            (BiFunction<DgramSocket, Runnable, DgramSocket>) (s, cb) -> s.bind(0, cb)),
        arguments(
            "bind(0, \"127.0.0.1\", callback)",
            "127.0.0.1",
            (BiFunction<DgramSocket, Runnable, DgramSocket>) (s, cb) -> s.bind(0, "127.0.0.1", cb)),
        arguments(
            "bind(0, null, callback)",
            "0.0.0.0",
            (BiFunction<DgramSocket, Runnable, DgramSocket>) (s, cb) -> s.bind(0, null, cb)),
        arguments(
            "bind(BindOptions address localhost, callback)",
            "127.0.0.1",
            (BiFunction<DgramSocket, Runnable, DgramSocket>)
                (s, cb) -> s.bind(BindOptions.of().address("localhost"), cb)));
  }

  /**
   * Node: a bind form with a callback returns the socket and runs the callback once, as a
   * 'listening' listener, after the socket is bound.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formsWithCallback")
  void bindFormWithCallbackRunsItOnceBound(
      String form, String expected, BiFunction<DgramSocket, Runnable, DgramSocket> bind) {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<DgramException> error = firstError(s);
      CompletableFuture<AddressInfo> called = new CompletableFuture<>();
      assertSame(s, bind.apply(s, () -> called.complete(s.address())), form + " returns");
      AddressInfo a = await(called, "the callback of " + form);
      assertEquals(expected, a.address());
      assertEquals("IPv4", a.family());
      assertTrue(a.port() > 0, "a random port was chosen: " + a);
      assertFalse(error.isDone(), "no 'error': " + error.getNow(null));
    } finally {
      closeAndWait(s);
    }
  }

  static Stream<Arguments> formsWithPort() {
    return Stream.of(
        arguments("bind(port)", (BiFunction<DgramSocket, Integer, DgramSocket>) DgramSocket::bind),
        arguments(
            "bind(port, \"127.0.0.1\")",
            (BiFunction<DgramSocket, Integer, DgramSocket>) (s, p) -> s.bind(p, "127.0.0.1")),
        arguments(
            "bind(port, callback)",
            (BiFunction<DgramSocket, Integer, DgramSocket>) (s, p) -> s.bind(p, () -> {})),
        arguments(
            "bind(BindOptions port)",
            (BiFunction<DgramSocket, Integer, DgramSocket>)
                (s, p) -> s.bind(BindOptions.of().port(p).address("127.0.0.1"))));
  }

  /** Node: bind(port), bind(port, address), bind(port, callback) and bind({port}) use that port. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formsWithPort")
  void bindToGivenPortUsesThatPort(
      String form, BiFunction<DgramSocket, Integer, DgramSocket> bind) {
    int port = freePort();
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<AddressInfo> listening = listening(s);
      assertSame(s, bind.apply(s, port), form + " returns the socket");
      assertEquals(port, await(listening, "'listening' after " + form).port());
    } finally {
      closeAndWait(s);
    }
  }

  /** A port that was free a moment ago: bound by a socket that is then closed. */
  private static int freePort() {
    DgramSocket s = Sockets.bound("udp4");
    int port = s.address().port();
    closeAndWait(s);
    return port;
  }

  /** Node: udp6 bound to "::" reports address "::" and family "IPv6". */
  @Test
  void udp6BoundToAnyReportsIpv6Any() {
    DgramSocket s = Dgram.createSocket("udp6");
    try {
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "::");
      AddressInfo a = await(listening, "'listening' of udp6 on ::");
      assertEquals("::", a.address());
      assertEquals("IPv6", a.family());
      assertTrue(a.port() > 0);
    } finally {
      closeAndWait(s);
    }
  }

  /** Node: udp6 bind() with no address binds "::", family "IPv6". */
  @Test
  void udp6BindWithoutAddressBindsIpv6Any() {
    DgramSocket s = Dgram.createSocket("udp6");
    try {
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind();
      AddressInfo a = await(listening, "'listening' of udp6");
      assertEquals(new AddressInfo("::", "IPv6", a.port()), a);
    } finally {
      closeAndWait(s);
    }
  }

  /** Node: udp6 bind(0, undefined, callback), a missing address, binds "::", family "IPv6". */
  @Test
  void udp6BindWithNullAddressBindsIpv6Any() {
    DgramSocket s = Dgram.createSocket("udp6");
    try {
      CompletableFuture<AddressInfo> called = new CompletableFuture<>();
      s.bind(0, null, () -> called.complete(s.address()));
      AddressInfo a = await(called, "the bind callback of udp6 with a null address");
      assertEquals(new AddressInfo("::", "IPv6", a.port()), a);
      assertTrue(a.port() > 0, "a random port was chosen: " + a);
    } finally {
      closeAndWait(s);
    }
  }

  /** Node: udp6 bound to "::1" reports address "::1", family "IPv6". */
  @Test
  void udp6BoundToLoopbackReportsIt() {
    DgramSocket s = Dgram.createSocket("udp6");
    try {
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "::1");
      AddressInfo a = await(listening, "'listening' of udp6 on ::1");
      assertEquals(new AddressInfo("::1", "IPv6", a.port()), a);
      assertTrue(a.port() > 0, "a random port was chosen: " + a);
    } finally {
      closeAndWait(s);
    }
  }

  // ------------------------------------------------------------------ 'listening'

  /**
   * Node: 'listening' is emitted once, asynchronously, and the bind callback is a 'listening'
   * listener added by bind(), so it runs after the listeners added before bind().
   */
  @Test
  void listeningFiresOnceOnLoopThreadInRegistrationOrder() throws Exception {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      List<String> calls = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> last = new CompletableFuture<>();
      s.on(
          DgramSocket.LISTENING,
          () -> {
            calls.add("listener");
            threads.add(Thread.currentThread());
          });
      s.bind(
          0,
          "127.0.0.1",
          () -> {
            calls.add("callback");
            threads.add(Thread.currentThread());
            last.complete(null);
          });
      await(last, "the bind callback");
      Sockets.barrier("a second 'listening'"); // it would be queued by the bind's own task
      assertEquals(List.of("listener", "callback"), calls);
      assertNotSame(Thread.currentThread(), threads.get(0), "'listening' ran on the caller");
      assertSame(threads.get(0), threads.get(1), "both on the loop thread");
    } finally {
      closeAndWait(s);
    }
  }

  /**
   * Node emits 'listening' after bind() has returned, never inside it: a bind called on the loop
   * thread (from another socket's listener) must not run its callback before it returns.
   */
  @Test
  void listeningNeverFiresInsideTheBindCall() {
    DgramSocket a = Dgram.createSocket("udp4");
    DgramSocket b = Dgram.createSocket("udp4");
    try {
      boolean[] insideBind = new boolean[1];
      CompletableFuture<Boolean> calledInside = new CompletableFuture<>();
      CompletableFuture<DgramException> errorB = firstError(b);
      a.on(
          DgramSocket.LISTENING,
          () -> {
            insideBind[0] = true;
            try {
              b.bind(0, "127.0.0.1", () -> calledInside.complete(insideBind[0]));
            } finally {
              insideBind[0] = false;
            }
          });
      a.bind(0, "127.0.0.1");
      assertFalse(await(calledInside, "the bind callback of the second socket"));
      assertFalse(errorB.isDone(), "no 'error': " + errorB.getNow(null));
    } finally {
      closeAndWait(a);
      closeAndWait(b);
    }
  }

  // ------------------------------------------------------------------ state errors

  /** Node: address() on an unbound socket throws EBADF "getsockname EBADF", errno -9. */
  @Test
  void addressBeforeBindThrowsEbadf() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      DgramException e = assertThrows(DgramException.class, s::address);
      assertEquals("EBADF", e.code());
      assertEquals("getsockname EBADF", e.getMessage());
      assertEquals(-9, e.errno());
      assertEquals("getsockname", e.syscall());
    } finally {
      closeAndWait(s);
    }
  }

  /** Node: bind() on a bound socket throws ERR_SOCKET_ALREADY_BOUND synchronously. */
  @Test
  void bindTwiceThrowsAlreadyBound() {
    DgramSocket s = Sockets.bound("udp4");
    try {
      assertAlreadyBound(s::bind);
      assertAlreadyBound(() -> s.bind(0, "127.0.0.1", () -> {}));
      assertAlreadyBound(() -> s.bind(BindOptions.of()));
    } finally {
      closeAndWait(s);
    }
  }

  /**
   * Node: a second bind() while the first is still resolving its address throws
   * ERR_SOCKET_ALREADY_BOUND, and the first bind still completes.
   */
  @Test
  void bindWhileBindPendingThrowsAlreadyBound() {
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    CompletableFuture<String> asked = new CompletableFuture<>();
    Lookup lookup =
        (host, family) -> {
          asked.complete(host);
          return answer;
        };
    DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").lookup(lookup));
    try {
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "pending.example");
      assertEquals("pending.example", await(asked, "the lookup of the bind address"));
      assertAlreadyBound(s::bind);
      assertAlreadyBound(() -> s.bind(0, "127.0.0.1"));
      answer.complete(InetAddress.getLoopbackAddress());
      assertEquals("127.0.0.1", await(listening, "the first bind").address());
    } finally {
      answer.complete(InetAddress.getLoopbackAddress());
      closeAndWait(s);
    }
  }

  private static void assertAlreadyBound(Executable call) {
    DgramException e = assertThrows(DgramException.class, call);
    assertEquals("ERR_SOCKET_ALREADY_BOUND", e.code());
    assertEquals("Socket is already bound", e.getMessage());
  }

  /** Node: bind(-1) and bind(65536) throw ERR_SOCKET_BAD_PORT, describing the number. */
  @Test
  void bindToBadPortThrowsBadPort() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertBadPort(-1, () -> s.bind(-1));
      assertBadPort(65536, () -> s.bind(65536));
      assertBadPort(-1, () -> s.bind(-1, "127.0.0.1"));
      assertBadPort(65536, () -> s.bind(65536, () -> {}));
      assertBadPort(-1, () -> s.bind(BindOptions.of().port(-1)));
      // Nothing was bound: a valid bind still works.
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "127.0.0.1");
      await(listening, "a valid bind after the bad ones");
    } finally {
      closeAndWait(s);
    }
  }

  private static void assertBadPort(int port, Executable call) {
    DgramException e = assertThrows(DgramException.class, call);
    assertEquals("ERR_SOCKET_BAD_PORT", e.code());
    assertEquals(
        "Port should be >= 0 and < 65536. Received type number (" + port + ").", e.getMessage());
  }

  // ------------------------------------------------------------------ bind failures

  /**
   * Node: binding a port in use emits 'error' EADDRINUSE "bind EADDRINUSE 127.0.0.1:port", errno
   * -98, with syscall, address and port; the bind callback is not called and 'listening' is not
   * emitted.
   */
  @Test
  void bindToPortInUseEmitsEaddrinuse() throws Exception {
    DgramSocket holder = Sockets.bound("udp4");
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      int port = holder.address().port();
      CompletableFuture<DgramException> error = firstError(s);
      AtomicInteger listened = new AtomicInteger();
      s.on(DgramSocket.LISTENING, listened::incrementAndGet);
      s.bind(port, "127.0.0.1", listened::incrementAndGet);
      DgramException e = await(error, "'error' for a port in use");
      assertEquals("EADDRINUSE", e.code());
      assertEquals("bind EADDRINUSE 127.0.0.1:" + port, e.getMessage());
      assertEquals(-98, e.errno());
      assertEquals("bind", e.syscall());
      assertEquals("127.0.0.1", e.address());
      assertEquals(port, e.port());
      Sockets.barrier("a 'listening' after the failed bind");
      assertEquals(0, listened.get(), "neither 'listening' nor the bind callback ran");
    } finally {
      closeAndWait(s);
      closeAndWait(holder);
    }
  }

  /** Node resets a socket whose bind failed to unbound, so bind() may be called again. */
  @Test
  void bindAgainAfterFailedBindSucceeds() {
    DgramSocket holder = Sockets.bound("udp4");
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<DgramException> error = firstError(s);
      s.bind(holder.address().port(), "127.0.0.1");
      assertEquals("EADDRINUSE", await(error, "'error' for a port in use").code());
      CompletableFuture<AddressInfo> listening = new CompletableFuture<>();
      s.bind(0, "127.0.0.1", () -> listening.complete(s.address()));
      AddressInfo a = await(listening, "the second bind");
      assertNotEquals(holder.address().port(), a.port());
    } finally {
      closeAndWait(s);
      closeAndWait(holder);
    }
  }

  /** Node: binding an address of no local interface emits EADDRNOTAVAIL, errno -99, no port. */
  @Test
  void bindToNonLocalAddressEmitsEaddrnotavail() throws Exception {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<DgramException> error = firstError(s);
      AtomicInteger listened = new AtomicInteger();
      s.bind(0, NON_LOCAL, listened::incrementAndGet);
      DgramException e = await(error, "'error' for a non-local address");
      assertEquals("EADDRNOTAVAIL", e.code());
      assertEquals("bind EADDRNOTAVAIL " + NON_LOCAL, e.getMessage());
      assertEquals(-99, e.errno());
      assertEquals("bind", e.syscall());
      assertEquals(NON_LOCAL, e.address());
      assertNull(e.port(), "Node sets no port when binding port 0");
      Sockets.barrier("a bind callback after the failed bind");
      assertEquals(0, listened.get(), "the bind callback did not run");
    } finally {
      closeAndWait(s);
    }
  }

  /** Node: a udp4 socket bound to an IPv6 address emits 'error' EINVAL "bind EINVAL ::1". */
  @Test
  void udp4BindToIpv6AddressEmitsEinval() throws Exception {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      CompletableFuture<DgramException> error = firstError(s);
      AtomicInteger listened = new AtomicInteger();
      s.on(DgramSocket.LISTENING, listened::incrementAndGet);
      s.bind(0, "::1", listened::incrementAndGet);
      DgramException e = await(error, "'error' for udp4 on ::1");
      assertEquals("EINVAL", e.code());
      assertEquals("bind EINVAL ::1", e.getMessage());
      assertEquals(-22, e.errno());
      assertEquals("bind", e.syscall());
      assertEquals("::1", e.address());
      Sockets.barrier("a 'listening' after the failed bind");
      assertEquals(0, listened.get(), "neither 'listening' nor the bind callback ran");
    } finally {
      closeAndWait(s);
    }
  }

  // ------------------------------------------------------------------ bind flags

  /** Node's reuseAddr: two sockets that both set it may bind the same address and port. */
  @Test
  void reuseAddrLetsTwoSocketsBindOnePort() {
    assertTwoBindOnePort(SocketOptions.of("udp4").reuseAddr(true));
  }

  /** Node's reusePort: two sockets that both set it may bind the same address and port. */
  @Test
  void reusePortLetsTwoSocketsBindOnePort() {
    assertTwoBindOnePort(SocketOptions.of("udp4").reusePort(true));
  }

  private static void assertTwoBindOnePort(SocketOptions options) {
    DgramSocket first = Dgram.createSocket(options);
    DgramSocket second = Dgram.createSocket(options);
    try {
      CompletableFuture<AddressInfo> firstListening = listening(first);
      first.bind(0, "127.0.0.1");
      int port = await(firstListening, "the first bind").port();
      CompletableFuture<AddressInfo> secondListening = listening(second);
      second.bind(port, "127.0.0.1");
      assertEquals(
          new AddressInfo("127.0.0.1", "IPv4", port), await(secondListening, "the second bind"));
    } finally {
      closeAndWait(second);
      closeAndWait(first);
    }
  }

  /**
   * Node's ipv6Only: a udp6 socket on "::" that sets it leaves the IPv4 port free, so a udp4 socket
   * can bind 0.0.0.0 on the same port. The NIO transport has no IPV6_V6ONLY: there the bind fails
   * with ENOTSUP.
   */
  @Test
  void ipv6OnlySocketLeavesIpv4PortFree() {
    DgramSocket v6 = Dgram.createSocket(SocketOptions.of("udp6").ipv6Only(true));
    DgramSocket v4 = Dgram.createSocket("udp4");
    try {
      CompletableFuture<AddressInfo> v6Listening = listening(v6);
      v6.bind(0, "::");
      if (Sockets.nio()) {
        DgramException e = awaitFailure(v6Listening, "the ipv6Only bind on NIO");
        assertEquals("ENOTSUP", e.code());
        return;
      }
      int port = await(v6Listening, "the ipv6Only bind").port();
      CompletableFuture<AddressInfo> v4Listening = listening(v4);
      v4.bind(port, "0.0.0.0");
      assertEquals(new AddressInfo("0.0.0.0", "IPv4", port), await(v4Listening, "the udp4 bind"));
    } finally {
      closeAndWait(v4);
      closeAndWait(v6);
    }
  }

  /** Node: without ipv6Only, udp6 on "::" is dual-stack and holds the IPv4 port too. */
  @Test
  void dualStackUdp6SocketHoldsIpv4Port() {
    DgramSocket v6 = Dgram.createSocket("udp6");
    DgramSocket v4 = Dgram.createSocket("udp4");
    try {
      CompletableFuture<AddressInfo> v6Listening = listening(v6);
      v6.bind(0, "::");
      int port = await(v6Listening, "the udp6 bind").port();
      CompletableFuture<DgramException> error = firstError(v4);
      v4.bind(port, "0.0.0.0");
      DgramException e = await(error, "'error' binding the port of a dual-stack socket");
      assertEquals("EADDRINUSE", e.code());
      assertEquals("bind EADDRINUSE 0.0.0.0:" + port, e.getMessage());
    } finally {
      closeAndWait(v4);
      closeAndWait(v6);
    }
  }

  private static DgramException awaitFailure(CompletableFuture<?> f, String what) {
    try {
      f.get(Sockets.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      assertTrue(e.getCause() instanceof DgramException, what + ": " + e.getCause());
      return (DgramException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("no failure of " + what + ": " + e, e);
    }
    throw new AssertionError(what + " succeeded; expected a failure");
  }

  /**
   * Node's recvBufferSize and sendBufferSize options are applied when the socket binds; Linux
   * reports twice the size set.
   */
  @Test
  void bufferSizeOptionsAppliedAtBind() {
    int size = 16_384; // far below Linux's default of 212,992, so the option must have been set
    DgramSocket s =
        Dgram.createSocket(SocketOptions.of("udp4").recvBufferSize(size).sendBufferSize(size));
    try {
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "127.0.0.1");
      await(listening, "the bind");
      int recv = s.getRecvBufferSize();
      int send = s.getSendBufferSize();
      assertTrue(recv >= size && recv <= 2 * size, "SO_RCVBUF " + recv + " for " + size);
      assertTrue(send >= size && send <= 2 * size, "SO_SNDBUF " + send + " for " + size);
    } finally {
      closeAndWait(s);
    }
  }

  // ------------------------------------------------------------------ bind({fd})

  /**
   * Node's bind({fd}) adopts an open, bound UDP socket: 'listening' follows, address() reports the
   * descriptor's address, and datagrams arrive. NIO cannot adopt descriptors: ENOTSUP, thrown.
   */
  @Test
  void bindFdAdoptsOpenUdpSocket() throws Exception {
    assumeTrue(Epoll.isAvailable(), "native sockets are needed to make a descriptor");
    Socket raw = Socket.newSocketDgram();
    boolean adopted = false;
    DgramSocket s = Dgram.createSocket("udp6");
    DgramSocket sender = null;
    try {
      raw.bind(new InetSocketAddress("::1", 0));
      int port = raw.localAddress().getPort();
      int fd = raw.intValue();
      if (Sockets.nio()) {
        DgramException e =
            assertThrows(DgramException.class, () -> s.bind(BindOptions.of().fd(fd)));
        assertEquals("ENOTSUP", e.code());
        return;
      }
      Sockets.Inbox inbox = new Sockets.Inbox(s);
      CompletableFuture<AddressInfo> listening = new CompletableFuture<>();
      s.on(DgramSocket.ERROR, listening::completeExceptionally);
      s.bind(BindOptions.of().fd(fd), () -> listening.complete(s.address()));
      adopted = true;
      assertEquals(new AddressInfo("::1", "IPv6", port), await(listening, "bind({fd})"));
      sender = Sockets.bound("udp6");
      sender.send("to the adopted fd", port, "::1");
      assertEquals("to the adopted fd", inbox.next("a datagram to the adopted socket").text());
    } finally {
      if (sender != null) {
        closeAndWait(sender);
      }
      closeAndWait(s); // closes an adopted descriptor
      if (!adopted) {
        raw.close();
      }
    }
  }

  /**
   * Node's bind({fd}) with a TCP socket throws ERR_INVALID_FD_TYPE "Unsupported fd type: TCP" and
   * leaves the descriptor to its owner. NIO cannot adopt descriptors: ENOTSUP, thrown.
   */
  @Test
  void bindFdOfTcpSocketThrowsInvalidFdType() throws Exception {
    assumeTrue(Epoll.isAvailable(), "native sockets are needed to make a descriptor");
    Socket tcp = Socket.newSocketStream();
    int fd = tcp.intValue();
    Path link = Path.of("/proc/self/fd/" + fd);
    Path target = Files.readSymbolicLink(link);
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      DgramException e = assertThrows(DgramException.class, () -> s.bind(BindOptions.of().fd(fd)));
      if (Sockets.nio()) {
        assertEquals("ENOTSUP", e.code());
      } else {
        assertEquals("ERR_INVALID_FD_TYPE", e.code());
        assertEquals("Unsupported fd type: TCP", e.getMessage());
      }
      assertTrue(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), "fd still open");
      assertEquals(target, Files.readSymbolicLink(link), "the caller's descriptor is untouched");
      // The failed adoption left the socket unbound and usable.
      CompletableFuture<AddressInfo> listening = listening(s);
      s.bind(0, "127.0.0.1");
      await(listening, "a normal bind after the failed adoption");
    } finally {
      closeAndWait(s);
      if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          && target.equals(Files.readSymbolicLink(link))) {
        tcp.close(); // only if it is still ours: never close a descriptor reused by someone else
      }
    }
  }
}
