package dev.jdgram;

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
 * Node's {@code socket.connectSync(port[, address])} (Node v24): an unbound socket is bound first,
 * the association exists when the call returns, failures are thrown and leave the socket
 * disconnected, and {@code 'listening'} and {@code 'connect'} still follow on the loop.
 */
class ConnectSyncTest {
  /** Node: connectSync binds an unbound socket, then connects; events follow in Node's order. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectSyncBindsConnectsAndEventsFollow(String type) {
    DgramSocket peer = Sockets.bound(type);
    DgramSocket client = Dgram.createSocket(type);
    try {
      Inbox inbox = new Inbox(peer);
      int port = peer.address().port();
      List<String> events = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> connected = new CompletableFuture<>();
      client.on(DgramSocket.LISTENING, () -> events.add("listening"));
      client.on(
          DgramSocket.CONNECT,
          () -> {
            events.add("connect");
            connected.complete(null);
          });
      client.connectSync(port, loopback(type));
      assertEquals(new AddressInfo(loopback(type), family(type), port), client.remoteAddress());
      assertTrue(client.address().port() > 0, "address() is valid when connectSync returns");
      await(connected, "'connect' after connectSync");
      assertEquals(List.of("listening", "connect"), events);
      client.send("sync-connected");
      assertEquals(
          client.address().port(), inbox.next("sync-connected", "the datagram").rinfo.port());
    } finally {
      closeAll(client, peer);
    }
  }

  /** Node: connectSync(port) and connectSync(port, '') connect to 127.0.0.1 or ::1. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectSyncWithoutAddressGoesToLoopback(String type) {
    DgramSocket a = Dgram.createSocket(type);
    DgramSocket b = Sockets.bound(type);
    try {
      a.connectSync(4000);
      b.connectSync(4001, "");
      assertEquals(new AddressInfo(loopback(type), family(type), 4000), a.remoteAddress());
      assertEquals(new AddressInfo(loopback(type), family(type), 4001), b.remoteAddress());
    } finally {
      closeAll(a, b);
    }
  }

  /** Node: connectSync on a connected socket, or while connect() is under way, throws. */
  @Test
  void connectSyncWhenConnectedOrConnectingThrowsIsConnected() {
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    Lookup slowName =
        (host, family) ->
            "slow.test".equals(host)
                ? answer
                : CompletableFuture.completedFuture(
                    dev.jdgram.internal.Addresses.parseLiteral(host));
    DgramSocket connecting = Dgram.createSocket(SocketOptions.of("udp4").lookup(slowName));
    DgramSocket connected = Dgram.createSocket("udp4");
    try {
      Sockets.bound(connecting, "127.0.0.1");
      connecting.connect(4000, "slow.test");
      assertError(
          "ERR_SOCKET_DGRAM_IS_CONNECTED",
          "Already connected",
          () -> connecting.connectSync(4000, "127.0.0.1"));
      connected.connectSync(4000, "127.0.0.1");
      assertError(
          "ERR_SOCKET_DGRAM_IS_CONNECTED", "Already connected", () -> connected.connectSync(4001));
    } finally {
      answer.complete(InetAddress.getLoopbackAddress());
      closeAll(connecting, connected);
    }
  }

  /** Node: connectSync while an asynchronous bind is under way is already bound. */
  @Test
  void connectSyncWhileBindingThrowsAlreadyBound() {
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").lookup((host, family) -> answer));
    try {
      s.bind(0, "slow.test");
      assertError(
          "ERR_SOCKET_ALREADY_BOUND",
          "Socket is already bound",
          () -> s.connectSync(4000, "127.0.0.1"));
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", s::remoteAddress);
    } finally {
      answer.complete(InetAddress.getLoopbackAddress());
      closeAll(s);
    }
  }

  /**
   * Node: connectSync never looks a name up (ERR_INVALID_ARG_VALUE); an address of the other family
   * is EINVAL and a blocked one ERR_IP_BLOCKED, thrown; each leaves the socket disconnected, and a
   * later connectSync works.
   */
  @Test
  void connectSyncFailuresAreThrownAndLeaveTheSocketDisconnected() {
    BlockList blocked = new BlockList();
    blocked.addAddress("127.0.0.2");
    DgramSocket s = Dgram.createSocket(SocketOptions.of("udp4").sendBlockList(blocked));
    try {
      List<DgramException> emitted = Collections.synchronizedList(new ArrayList<>());
      s.on(DgramSocket.ERROR, emitted::add);
      DgramException name =
          assertThrows(DgramException.class, () -> s.connectSync(4000, "localhost"));
      assertEquals("ERR_INVALID_ARG_VALUE", name.code());
      assertError("EBADF", "getsockname EBADF", s::address); // rejected before binding
      DgramException family = assertThrows(DgramException.class, () -> s.connectSync(4000, "::1"));
      assertEquals("EINVAL", family.code());
      assertEquals("connect EINVAL ::1:4000", family.getMessage());
      DgramException block =
          assertThrows(DgramException.class, () -> s.connectSync(4000, "127.0.0.2"));
      assertEquals("ERR_IP_BLOCKED", block.code());
      assertEquals("IP(127.0.0.2) is blocked by net.BlockList", block.getMessage());
      assertError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected", s::remoteAddress);
      s.connectSync(4000, "127.0.0.1");
      assertEquals(new AddressInfo("127.0.0.1", "IPv4", 4000), s.remoteAddress());
      Sockets.barrier("an 'error' of a failed connectSync");
      assertEquals(List.of(), emitted, "failures are thrown, not emitted");
    } finally {
      closeAll(s);
    }
  }

  /** Node: a port outside 1 to 65535 is ERR_SOCKET_BAD_PORT; a closed socket is Not running. */
  @Test
  void connectSyncRejectsBadPortAndClosedSocket() {
    DgramSocket s = Dgram.createSocket("udp4");
    assertError(
        "ERR_SOCKET_BAD_PORT",
        "Port should be > 0 and < 65536. Received type number (0).",
        () -> s.connectSync(0));
    closeAll(s);
    assertError("ERR_SOCKET_DGRAM_NOT_RUNNING", "Not running", () -> s.connectSync(4000));
  }
}
