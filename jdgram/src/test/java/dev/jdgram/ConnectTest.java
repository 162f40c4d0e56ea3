package dev.jdgram;

import static dev.jdgram.Sockets.any;
import static dev.jdgram.Sockets.assertError;
import static dev.jdgram.Sockets.await;
import static dev.jdgram.Sockets.closeAll;
import static dev.jdgram.Sockets.family;
import static dev.jdgram.Sockets.loopback;
import static dev.jdgram.Sockets.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.Sockets.Inbox;
import dev.jdgram.Sockets.Received;
import dev.jdgram.Sockets.Sent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Node's {@code socket.connect()}, {@code disconnect()} and {@code remoteAddress()}. */
class ConnectTest {

  /** A connect callback that records its error (null on success). */
  private static final class Done implements Callback {
    final CompletableFuture<DgramException> result = new CompletableFuture<>();
    final List<String> order;

    Done(List<String> order) {
      this.order = order;
    }

    @Override
    public void done(DgramException err) {
      if (order != null) {
        order.add("callback");
      }
      result.complete(err);
    }

    DgramException await(String what) {
      return Sockets.await(result, what);
    }
  }

  /** Connects and waits for success. */
  private static void connected(DgramSocket s, int port, String address) {
    Done done = new Done(null);
    s.connect(port, address, done);
    assertNull(done.await("connect to " + address + ":" + port), "connect succeeded");
  }

  /** Node: connect binds an unbound socket, emits 'listening', then 'connect', then callback. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectBindsImplicitlyThenEmitsConnectAndCallsBack(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<AddressInfo> bound = new CompletableFuture<>();
      client.on(
          DgramSocket.LISTENING,
          () -> {
            order.add("listening");
            bound.complete(client.address());
          });
      client.on(DgramSocket.CONNECT, () -> order.add("connect"));
      Done done = new Done(order);
      client.connect(peer.address().port(), loopback(type), done);
      assertNull(done.await("connect"), "callback(null)");
      assertEquals(List.of("listening", "connect", "callback"), order);
      AddressInfo local = await(bound, "'listening'");
      assertEquals(any(type), local.address(), "bound to all interfaces");
      assertTrue(local.port() > 0, "bound to a random port");
      // Once connected, the kernel has picked the source address (Node shows the same).
      assertEquals(local.port(), client.address().port());
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node's remoteAddress(): the connected peer's address, family and port. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void remoteAddressReturnsThePeer(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      int port = peer.address().port();
      connected(client, port, loopback(type));
      assertEquals(new AddressInfo(loopback(type), family(type), port), client.remoteAddress());
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: a connected socket's send without port and address goes to the peer (every form). */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectedSendsGoToThePeerInCallOrder(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      Inbox inbox = new Inbox(peer);
      connected(client, peer.address().port(), loopback(type));
      List<Sent> callbacks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        callbacks.add(new Sent());
      }
      client.send(utf8("conn-0"));
      client.send(utf8("conn-1"), callbacks.get(0));
      byte[] ranged = utf8("__conn-2__");
      client.send(ranged, 2, 6);
      client.send(utf8("__conn-3__"), 2, 6, callbacks.get(1));
      client.send(ByteBuffer.wrap(utf8("conn-4")));
      client.send(ByteBuffer.wrap(utf8("conn-5")), callbacks.get(2));
      client.send("conn-6");
      client.send("conn-7", callbacks.get(3));
      client.send(List.of("conn-", utf8("8")));
      client.send(List.of("conn-", ByteBuffer.wrap(utf8("9"))), callbacks.get(4));
      for (Sent s : callbacks) {
        assertEquals(6, s.bytes("a connected send"));
      }
      int clientPort = client.address().port();
      for (int i = 0; i < 10; i++) {
        Received r = inbox.next("conn-", "connected datagram " + i);
        assertEquals("conn-" + i, r.text());
        assertEquals(clientPort, r.rinfo.port());
      }
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: a connected socket only receives from its peer. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectedSocketReceivesOnlyFromItsPeer(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket stranger = Sockets.bound(type);
    DgramSocket client = Sockets.bound(type);
    try {
      Inbox inbox = new Inbox(client);
      connected(client, peer.address().port(), loopback(type));
      int clientPort = client.address().port();
      Sent fromStranger = new Sent();
      stranger.send("who-stranger", clientPort, loopback(type), fromStranger);
      fromStranger.bytes("the stranger's send");
      peer.send("who-peer", clientPort, loopback(type));
      Received r = inbox.next("who-peer", "the peer's datagram");
      assertEquals(peer.address().port(), r.rinfo.port());
      inbox.expectNone("who-stranger", 200, "the stranger's datagram");
    } finally {
      closeAll(client, stranger, peer);
    }
  }

  /** Node throws ERR_SOCKET_DGRAM_IS_CONNECTED for a second connect, connected or connecting. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectTwiceThrowsIsConnected(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      int port = peer.address().port();
      Done done = new Done(null);
      client.connect(port, loopback(type), done);
      // Still connecting (the implicit bind has just been queued).
      assertError(
          "ERR_SOCKET_DGRAM_IS_CONNECTED",
          "Already connected",
          () -> client.connect(port, loopback(type)));
      assertNull(done.await("the first connect"));
      assertError("ERR_SOCKET_DGRAM_IS_CONNECTED", "Already connected", () -> client.connect(port));
      assertEquals(port, client.remoteAddress().port(), "still connected to the first peer");
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: a send with a port and address on a connected socket throws IS_CONNECTED. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sendWithDestinationOnConnectedSocketThrowsIsConnected(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      int port = peer.address().port();
      connected(client, port, loopback(type));
      String code = "ERR_SOCKET_DGRAM_IS_CONNECTED";
      String to = loopback(type);
      assertError(code, "Already connected", () -> client.send("x", port, to));
      assertError(code, "Already connected", () -> client.send(utf8("x"), port, to, (e, n) -> {}));
      assertError(code, "Already connected", () -> client.send(utf8("xy"), 0, 1, port, to));
      assertError(code, "Already connected", () -> client.send(ByteBuffer.allocate(1), port));
      assertError(code, "Already connected", () -> client.send(List.of("x"), port, to));
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: remoteAddress() after disconnect() throws ERR_SOCKET_DGRAM_NOT_CONNECTED. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void remoteAddressAfterDisconnectThrowsNotConnected(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      connected(client, peer.address().port(), loopback(type));
      client.disconnect();
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", client::remoteAddress);
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", client::disconnect);
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: disconnect() on an unconnected (unbound or bound) socket throws NOT_CONNECTED. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void disconnectOnUnconnectedSocketThrowsNotConnected(String type) {
    DgramSocket unbound = Dgram.createSocket(type);
    DgramSocket bound = Sockets.bound(type);
    try {
      for (DgramSocket s : List.of(unbound, bound)) {
        assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", s::disconnect);
        assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", s::remoteAddress);
      }
    } finally {
      closeAll(unbound, bound);
    }
  }

  /** Node: after disconnect(), sends need a destination again and anyone's datagrams arrive. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void afterDisconnectSendsWithAddressWorkAndAnyoneIsHeard(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket other = Sockets.bound(type);
    DgramSocket client = Sockets.bound(type);
    try {
      Inbox clientInbox = new Inbox(client);
      Inbox otherInbox = new Inbox(other);
      connected(client, peer.address().port(), loopback(type));
      client.disconnect();
      assertError(
          "ERR_SOCKET_BAD_PORT",
          "Port should be > 0 and < 65536. Received undefined.",
          () -> client.send("x"));
      Sent sent = new Sent();
      client.send("again-1", other.address().port(), loopback(type), sent);
      assertEquals(7, sent.bytes("a send with an address after disconnect"));
      Received again = otherInbox.next("again-1", "the datagram to the other");
      // Linux unbinds a port-0 socket on disconnect (Node's address() then shows port 0) and
      // the next send binds it again: reply to where the datagram came from.
      other.send("anyone-1", again.rinfo.port(), loopback(type));
      Received r = clientInbox.next("anyone-1", "a datagram from a non-peer");
      assertEquals(other.address().port(), r.rinfo.port());
    } finally {
      closeAll(client, other, peer);
    }
  }

  /** Node: a failed connect lookup goes to the callback and leaves the socket disconnected. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectLookupFailureCallsBackAndAllowsAnotherConnect(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(SocketOptions.of(type).lookup(Sockets::literalsOnly));
    try {
      Done failed = new Done(null);
      client.connect(4242, "no-such-peer.invalid", failed);
      DgramException e = failed.await("the failing connect");
      assertEquals("ENOTFOUND", e.code());
      assertEquals("getaddrinfo ENOTFOUND no-such-peer.invalid", e.getMessage());
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", client::remoteAddress);
      int port = peer.address().port();
      connected(client, port, loopback(type));
      assertEquals(port, client.remoteAddress().port());
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: connecting a socket to the other family's address fails with connect EINVAL. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectToOtherFamilyFailsWithEinvalAndAllowsAnotherConnect(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      String other = "udp6".equals(type) ? "127.0.0.1" : "::1";
      Done failed = new Done(null);
      client.connect(4242, other, failed);
      DgramException e = failed.await("a connect to " + other);
      assertEquals("EINVAL", e.code());
      assertEquals("connect EINVAL " + other + ":4242", e.getMessage());
      assertEquals(-22, e.errno());
      assertEquals("connect", e.syscall());
      assertEquals(other, e.address());
      assertEquals(4242, e.port());
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", client::remoteAddress);
      connected(client, peer.address().port(), loopback(type));
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: a failed connect without a callback is emitted as 'error'; no 'connect' follows. */
  @Test
  void connectFailureWithoutCallbackEmitsError() {
    DgramSocket client = Dgram.createSocket("udp4");
    try {
      CompletableFuture<DgramException> error = Sockets.firstError(client);
      CompletableFuture<Void> connect = new CompletableFuture<>();
      client.on(DgramSocket.CONNECT, () -> connect.complete(null));
      client.connect(4242, "::1");
      DgramException e = await(error, "'error' of a failed connect");
      assertEquals("EINVAL", e.code());
      assertEquals("connect EINVAL ::1:4242", e.getMessage());
      assertTrue(!connect.isDone(), "no 'connect'");
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", client::remoteAddress);
    } finally {
      closeAll(client);
    }
  }

  /** Node: connect's port must be 1 to 65535, else ERR_SOCKET_BAD_PORT, thrown. */
  @Test
  void connectBadPortThrowsSocketBadPort() {
    DgramSocket client = Dgram.createSocket("udp4");
    try {
      for (int port : new int[] {0, 65_536, -1}) {
        String message = "Port should be > 0 and < 65536. Received type number (" + port + ").";
        assertError("ERR_SOCKET_BAD_PORT", message, () -> client.connect(port));
        assertError("ERR_SOCKET_BAD_PORT", message, () -> client.connect(port, "127.0.0.1"));
        assertError("ERR_SOCKET_BAD_PORT", message, () -> client.connect(port, err -> {}));
      }
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", client::remoteAddress);
    } finally {
      closeAll(client);
    }
  }

  /** Node: connect without an address connects to 127.0.0.1 (udp4) or ::1 (udp6). */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectWithoutAddressGoesToLoopback(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket withCallback = Dgram.createSocket(type);
    DgramSocket withoutCallback = Dgram.createSocket(type);
    try {
      Inbox inbox = new Inbox(peer);
      int port = peer.address().port();
      Done done = new Done(null);
      withCallback.connect(port, done);
      assertNull(done.await("connect(port, callback)"));
      CompletableFuture<Void> connect = new CompletableFuture<>();
      withoutCallback.on(DgramSocket.CONNECT, () -> connect.complete(null));
      withoutCallback.connect(port);
      await(connect, "'connect' of connect(port)");
      for (DgramSocket s : List.of(withCallback, withoutCallback)) {
        assertEquals(new AddressInfo(loopback(type), family(type), port), s.remoteAddress());
      }
      withCallback.send("dflt-1");
      withoutCallback.send("dflt-2");
      assertEquals(
          withCallback.address().port(), inbox.next("dflt-1", "the first datagram").rinfo.port());
      assertEquals(
          withoutCallback.address().port(),
          inbox.next("dflt-2", "the second datagram").rinfo.port());
    } finally {
      closeAll(withCallback, withoutCallback, peer);
    }
  }

  /** Node: connect(port, '') connects to 127.0.0.1 or ::1, as connect(port) does. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectToEmptyAddressGoesToLoopback(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      Inbox inbox = new Inbox(peer);
      int port = peer.address().port();
      connected(client, port, "");
      assertEquals(new AddressInfo(loopback(type), family(type), port), client.remoteAddress());
      client.send("empty-connect");
      assertEquals(
          client.address().port(), inbox.next("empty-connect", "the datagram").rinfo.port());
    } finally {
      closeAll(client, peer);
    }
  }

  /**
   * Node 22.13+ (doConnect) checks the send block list against the looked-up address before it
   * connects: the callback gets ERR_IP_BLOCKED, or without one 'error' is emitted; the socket stays
   * disconnected and a later connect to an allowed address works. A host name that resolves to a
   * blocked address is blocked too.
   */
  @Test
  void connectToBlockedAddressFailsWithIpBlockedAndStaysDisconnected() {
    BlockList blocked = new BlockList();
    blocked.addAddress("127.0.0.2");
    Lookup lookup =
        (host, family) ->
            CompletableFuture.completedFuture(
                dev.jdgram.internal.Addresses.parseLiteral(
                    "blocked.test".equals(host) ? "127.0.0.2" : host));
    DgramSocket peer = Sockets.bound("udp4");
    DgramSocket client =
        Dgram.createSocket(SocketOptions.of("udp4").sendBlockList(blocked).lookup(lookup));
    try {
      int port = peer.address().port();
      Done done = new Done(null);
      client.connect(port, "127.0.0.2", done);
      DgramException err = done.await("connect to a blocked address");
      assertEquals("ERR_IP_BLOCKED", err.code());
      assertEquals("IP(127.0.0.2) is blocked by net.BlockList", err.getMessage());
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", client::remoteAddress);

      CompletableFuture<DgramException> error = Sockets.firstError(client);
      client.connect(port, "blocked.test");
      DgramException emitted = await(error, "'error' of a connect to a blocked host name");
      assertEquals("ERR_IP_BLOCKED", emitted.code());
      assertEquals("IP(127.0.0.2) is blocked by net.BlockList", emitted.getMessage());
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", client::remoteAddress);

      connected(client, port, "127.0.0.1");
      assertEquals(new AddressInfo("127.0.0.1", "IPv4", port), client.remoteAddress());
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: connect on a bound socket keeps its port and emits 'connect' (no new 'listening'). */
  @Test
  void connectOnBoundSocketKeepsItsAddress() {
    DgramSocket peer = Sockets.bound("udp4");
    DgramSocket client = Sockets.bound("udp4");
    try {
      AddressInfo before = client.address();
      CompletableFuture<Void> listening = new CompletableFuture<>();
      client.on(DgramSocket.LISTENING, () -> listening.complete(null));
      connected(client, peer.address().port(), "127.0.0.1");
      assertEquals(before, client.address());
      assertTrue(!listening.isDone(), "no second 'listening'");
    } finally {
      closeAll(client, peer);
    }
  }
}
