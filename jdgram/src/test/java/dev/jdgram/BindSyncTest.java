package dev.jdgram;

import static dev.jdgram.Sockets.any;
import static dev.jdgram.Sockets.assertError;
import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAll;
import static dev.jdgram.Sockets.family;
import static dev.jdgram.Sockets.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.Sockets.Inbox;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Node's {@code socket.bindSync([options])} (Node v24): the bind happens before the call returns,
 * its failure is thrown, {@code address()} is valid at once, {@code 'listening'} still follows on
 * the loop, and the address must be an IP literal (no lookup).
 */
class BindSyncTest {
  /** Node: bindSync returns the bound address, address() agrees, 'listening' follows. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void bindSyncReturnsTheBoundAddressAndListeningFollows(String type) {
    DgramSocket s = Dgram.createSocket(type);
    try {
      CompletableFuture<AddressInfo> listening = new CompletableFuture<>();
      s.on(DgramSocket.LISTENING, () -> listening.complete(s.address()));
      AddressInfo bound = s.bindSync(0, loopback(type));
      assertEquals(loopback(type), bound.address());
      assertEquals(family(type), bound.family());
      assertTrue(bound.port() > 0, "an ephemeral port");
      assertEquals(bound, s.address(), "address() is valid when bindSync returns");
      assertEquals(bound, await(listening, "'listening' after bindSync"));
    } finally {
      closeAll(s);
    }
  }

  /** Node: bindSync() and bindSync({port: 0}) bind all interfaces, 0.0.0.0 or ::. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void bindSyncWithoutAddressBindsAllInterfaces(String type) {
    DgramSocket a = Dgram.createSocket(type);
    DgramSocket b = Dgram.createSocket(type);
    DgramSocket c = Dgram.createSocket(type);
    try {
      assertEquals(any(type), a.bindSync().address());
      assertEquals(any(type), b.bindSync(BindOptions.of()).address());
      assertEquals(any(type), c.bindSync(0, "").address());
    } finally {
      closeAll(a, b, c);
    }
  }

  /** Node: datagrams to a socket bound with bindSync arrive as 'message' events. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void messagesArriveAfterBindSync(String type) {
    DgramSocket receiver = Dgram.createSocket(type);
    DgramSocket sender = Dgram.createSocket(type);
    try {
      Inbox inbox = new Inbox(receiver);
      int port = receiver.bindSync(BindOptions.of().address(loopback(type))).port();
      sender.send("sync-bound hello", port, loopback(type));
      assertEquals("sync-bound hello", inbox.next("sync-bound", "the datagram").text());
    } finally {
      closeAll(sender, receiver);
    }
  }

  /** Node: EADDRINUSE is thrown with Node's fields, and the socket stays unbound and usable. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void bindSyncThrowsAddressInUseAndLeavesTheSocketUnbound(String type) {
    DgramSocket first = Dgram.createSocket(type);
    DgramSocket second = Dgram.createSocket(type);
    try {
      List<DgramException> emitted = Collections.synchronizedList(new ArrayList<>());
      second.on(DgramSocket.ERROR, emitted::add);
      int port = first.bindSync(0, loopback(type)).port();
      DgramException e =
          assertThrows(DgramException.class, () -> second.bindSync(port, loopback(type)));
      assertEquals("EADDRINUSE", e.code());
      assertEquals("bind", e.syscall());
      assertEquals(loopback(type), e.address());
      assertEquals(port, e.port());
      assertEquals(-98, e.errno());
      assertEquals("bind EADDRINUSE " + loopback(type) + ":" + port, e.getMessage());
      assertError("EBADF", "getsockname EBADF", second::address);
      assertTrue(second.bindSync(0, loopback(type)).port() > 0, "a second bindSync works");
      Sockets.barrier("an 'error' of the failed bindSync");
      assertEquals(List.of(), emitted, "the failure is thrown, not emitted");
    } finally {
      closeAll(first, second);
    }
  }

  /** Node: bindSync never looks a name up; a host name is ERR_INVALID_ARG_VALUE. */
  @Test
  void bindSyncRejectsHostNameWithoutLookup() {
    List<String> looked = Collections.synchronizedList(new ArrayList<>());
    DgramSocket s =
        Dgram.createSocket(
            SocketOptions.of("udp4")
                .lookup(
                    (host, family) -> {
                      looked.add(host);
                      return CompletableFuture.completedFuture(InetAddress.getLoopbackAddress());
                    }));
    try {
      DgramException e = assertThrows(DgramException.class, () -> s.bindSync(0, "localhost"));
      assertEquals("ERR_INVALID_ARG_VALUE", e.code());
      assertEquals(
          "The argument 'address' must be a numeric IP address. Received 'localhost'",
          e.getMessage());
      assertEquals(List.of(), looked, "no lookup");
      assertTrue(s.bindSync(0, "127.0.0.1").port() > 0, "the socket was left unbound");
    } finally {
      closeAll(s);
    }
  }

  /** Node: a port outside 0 to 65535 is ERR_SOCKET_BAD_PORT; an fd is not for bindSync. */
  @Test
  void bindSyncRejectsBadArguments() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      assertError(
          "ERR_SOCKET_BAD_PORT",
          "Port should be >= 0 and < 65536. Received type number (65536).",
          () -> s.bindSync(65536));
      assertError(
          "ERR_SOCKET_BAD_PORT",
          "Port should be >= 0 and < 65536. Received type number (-1).",
          () -> s.bindSync(BindOptions.of().port(-1)));
      assertThrows(DgramException.class, () -> s.bindSync((BindOptions) null));
      DgramException fd =
          assertThrows(DgramException.class, () -> s.bindSync(BindOptions.of().fd(3)));
      assertEquals("ERR_INVALID_ARG_VALUE", fd.code());
      assertTrue(s.bindSync(0, "127.0.0.1").port() > 0, "rejected arguments left it unbound");
    } finally {
      closeAll(s);
    }
  }

  /** Node: bindSync on a bound socket, or while bind() is under way, is already bound. */
  @Test
  void bindSyncWhenBoundOrBindingThrowsAlreadyBound() {
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    DgramSocket pending =
        Dgram.createSocket(SocketOptions.of("udp4").lookup((host, family) -> answer));
    DgramSocket bound = Dgram.createSocket("udp4");
    try {
      pending.bind(0, "slow.test");
      assertError("ERR_SOCKET_ALREADY_BOUND", "Socket is already bound", pending::bindSync);
      bound.bindSync();
      assertError("ERR_SOCKET_ALREADY_BOUND", "Socket is already bound", bound::bindSync);
    } finally {
      answer.complete(InetAddress.getLoopbackAddress());
      closeAll(pending, bound);
    }
  }

  /** Node: bindSync on a closed socket is Not running. */
  @Test
  void bindSyncOnClosedSocketThrowsNotRunning() {
    DgramSocket s = Dgram.createSocket("udp4");
    closeAll(s);
    assertError("ERR_SOCKET_DGRAM_NOT_RUNNING", "Not running", s::bindSync);
  }

  /** Node: a udp4 socket cannot bind an IPv6 address: EINVAL, thrown. */
  @Test
  void bindSyncToOtherFamilyThrowsEinval() {
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      DgramException e = assertThrows(DgramException.class, () -> s.bindSync(0, "::1"));
      assertEquals("EINVAL", e.code());
      assertEquals("bind EINVAL ::1", e.getMessage());
      assertTrue(s.bindSync(0, "127.0.0.1").port() > 0);
    } finally {
      closeAll(s);
    }
  }

  /**
   * Called from a listener, on the loop thread, bindSync binds at once without waiting for the
   * loop; a close() in the same listener then suppresses the deferred 'listening', as in Node.
   */
  @Test
  void bindSyncFromListenerRunsInlineAndCloseSuppressesListening() {
    DgramSocket trigger = Dgram.createSocket("udp4");
    DgramSocket s = Dgram.createSocket("udp4");
    try {
      List<String> events = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<AddressInfo> boundInListener = new CompletableFuture<>();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      s.on(DgramSocket.LISTENING, () -> events.add("listening"));
      s.on(DgramSocket.CLOSE, () -> closed.complete(null));
      trigger.on(
          DgramSocket.LISTENING,
          () -> {
            boundInListener.complete(s.bindSync(0, "127.0.0.1"));
            s.close();
          });
      trigger.bind(0, "127.0.0.1");
      assertTrue(await(boundInListener, "bindSync in a listener").port() > 0);
      await(closed, "'close'");
      Sockets.barrier("a late 'listening'");
      assertEquals(List.of(), events, "no 'listening' after close");
    } finally {
      closeAll(trigger, s);
    }
  }
}
