package dev.jdgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Address families as Node reports them in address() and in the 'message' RemoteInfo. */
class FdAndFamilyTest {

  private static DgramSocket boundTo(String type, String address) {
    DgramSocket s = Dgram.createSocket(type);
    CompletableFuture<Void> listening = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, listening::completeExceptionally);
    s.bind(0, address, () -> listening.complete(null));
    Sockets.await(listening, "bind of " + type + " to " + address);
    s.removeAllListeners(DgramSocket.ERROR);
    return s;
  }

  /** Node's address() of a udp6 socket bound to "::" is {address: '::', family: 'IPv6'}. */
  @Test
  void udp6BoundToAnyReportsIpv6Any() {
    DgramSocket s = boundTo("udp6", "::");
    try {
      AddressInfo a = s.address();
      assertEquals("::", a.address());
      assertEquals("IPv6", a.family());
      assertTrue(a.port() > 0, "port " + a.port());
    } finally {
      s.close();
    }
  }

  /** Node's address() of a udp6 socket bound without an address is "::" too. */
  @Test
  void udp6BoundWithoutAddressReportsIpv6Any() {
    DgramSocket s = boundTo("udp6", null);
    try {
      assertEquals(new AddressInfo("::", "IPv6", s.address().port()), s.address());
    } finally {
      s.close();
    }
  }

  /** Node's address() of a udp6 socket bound to "::1" is {address: '::1', family: 'IPv6'}. */
  @Test
  void udp6BoundToLoopbackReportsIpv6Loopback() {
    DgramSocket s = boundTo("udp6", "::1");
    try {
      AddressInfo a = s.address();
      assertEquals("::1", a.address());
      assertEquals("IPv6", a.family());
      assertTrue(a.port() > 0, "port " + a.port());
    } finally {
      s.close();
    }
  }

  /** Node's address() of udp4 sockets: family 'IPv4', for "0.0.0.0" and for "127.0.0.1". */
  @Test
  void udp4ReportsIpv4Family() {
    DgramSocket any = boundTo("udp4", null);
    DgramSocket loopback = boundTo("udp4", "127.0.0.1");
    try {
      assertEquals(new AddressInfo("0.0.0.0", "IPv4", any.address().port()), any.address());
      assertEquals(
          new AddressInfo("127.0.0.1", "IPv4", loopback.address().port()), loopback.address());
      assertTrue(any.address().port() > 0 && loopback.address().port() > 0);
    } finally {
      any.close();
      loopback.close();
    }
  }

  /** Node's RemoteInfo for a udp6 datagram from ::1: address '::1', family 'IPv6', port, size. */
  @Test
  void udp6ReceiverSeesIpv6Sender() {
    DgramSocket rx = boundTo("udp6", "::");
    DgramSocket tx = boundTo("udp6", "::1");
    try {
      Sockets.Inbox inbox = new Sockets.Inbox(rx);
      String tag = "v6-" + UUID.randomUUID();
      tx.send(tag, rx.address().port(), "::1");
      Sockets.Received r;
      do {
        r = inbox.next(tag);
      } while (!r.text().equals(tag));
      assertEquals(new RemoteInfo("::1", "IPv6", tx.address().port(), tag.length()), r.rinfo);
    } finally {
      rx.close();
      tx.close();
    }
  }

  /**
   * Node's RemoteInfo for a datagram from an IPv4 sender to a dual-stack udp6 socket: the
   * IPv4-mapped address '::ffff:127.0.0.1', family 'IPv6'.
   */
  @Test
  void udp6ReceiverSeesIpv4SenderAsMapped() {
    DgramSocket rx = boundTo("udp6", "::");
    DgramSocket tx = boundTo("udp4", "127.0.0.1");
    try {
      Sockets.Inbox inbox = new Sockets.Inbox(rx);
      String tag = "mapped-" + UUID.randomUUID();
      tx.send(tag, rx.address().port(), "127.0.0.1");
      Sockets.Received r;
      do {
        r = inbox.next(tag);
      } while (!r.text().equals(tag));
      assertEquals(
          new RemoteInfo("::ffff:127.0.0.1", "IPv6", tx.address().port(), tag.length()), r.rinfo);
    } finally {
      rx.close();
      tx.close();
    }
  }

  /** Node's RemoteInfo for a udp4 datagram from 127.0.0.1: family 'IPv4'. */
  @Test
  void udp4ReceiverSeesIpv4Sender() {
    DgramSocket rx = boundTo("udp4", "127.0.0.1");
    DgramSocket tx = boundTo("udp4", "127.0.0.1");
    try {
      Sockets.Inbox inbox = new Sockets.Inbox(rx);
      String tag = "v4-" + UUID.randomUUID();
      tx.send(tag, rx.address().port(), "127.0.0.1");
      Sockets.Received r;
      do {
        r = inbox.next(tag);
      } while (!r.text().equals(tag));
      assertEquals(new RemoteInfo("127.0.0.1", "IPv4", tx.address().port(), tag.length()), r.rinfo);
    } finally {
      rx.close();
      tx.close();
    }
  }
}
