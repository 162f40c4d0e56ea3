package dev.jdgram;

import static dev.jdgram.SocketOptionsTest.assertNodeError;
import static dev.jdgram.SocketOptionsTest.assertSystemError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Multicast on the loopback interface: joining and leaving any-source groups and source-specific
 * channels, delivery to members only, and Node's errors. Each test uses its own random group so
 * tests (and concurrent runs) never see each other's datagrams. Runs on epoll and on NIO.
 *
 * <p>IPv4 multicast over lo works here without the interface's MULTICAST flag once the sender picks
 * 127.0.0.1 with setMulticastInterface (Node v20 receives the same way on this host), so the class
 * changes no system settings.
 */
class MulticastTest {
  /** How long a test waits for a datagram that must not arrive, after a marker that must. */
  private static final long ABSENCE_MILLIS = 200;

  private static String group4() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "239.255." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  private static String ssmGroup4() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "232." + (1 + r.nextInt(254)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  private static String group6() {
    return "ff12::" + Integer.toHexString(1 + ThreadLocalRandom.current().nextInt(0xfffe));
  }

  private static String tag(String what) {
    return what + "-" + UUID.randomUUID();
  }

  /** A socket bound to all interfaces on a random port, as multicast receivers are. */
  private static DgramSocket receiver(String type) {
    DgramSocket s = Dgram.createSocket(type);
    CompletableFuture<Void> listening = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, listening::completeExceptionally);
    s.bind(0, () -> listening.complete(null));
    Sockets.await(listening, "bind of the receiver");
    s.removeAllListeners(DgramSocket.ERROR);
    return s;
  }

  /** A udp4 socket on 127.0.0.1 that sends multicast out of lo and loops it back to this host. */
  private static DgramSocket sender4(String address) {
    DgramSocket s = Dgram.createSocket("udp4");
    CompletableFuture<Void> listening = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, listening::completeExceptionally);
    s.bind(0, address, () -> listening.complete(null));
    Sockets.await(listening, "bind of the sender");
    s.removeAllListeners(DgramSocket.ERROR);
    s.setMulticastInterface("127.0.0.1");
    assertTrue(s.setMulticastLoopback(true));
    return s;
  }

  /** Sends and waits for the callback, failing on a send error. */
  private static void send(DgramSocket from, String text, int port, String address) {
    CompletableFuture<Integer> sent = new CompletableFuture<>();
    from.send(
        text,
        port,
        address,
        (err, n) -> {
          if (err != null) {
            sent.completeExceptionally(err);
          } else {
            sent.complete(n);
          }
        });
    Sockets.await(sent, "send of " + text + " to " + address);
  }

  /** Waits for the datagram carrying {@code tag}, skipping strays. */
  private static Sockets.Received awaitTag(Sockets.Inbox inbox, String tag) {
    while (true) {
      Sockets.Received r = inbox.next(tag);
      if (r.text().equals(tag)) {
        return r;
      }
    }
  }

  /**
   * Asserts that {@code tag}, sent before, is not delivered: a unicast marker sent after it must
   * arrive first, and the tag must still be missing a short while later.
   */
  private static void assertNotDelivered(
      Sockets.Inbox inbox, String tag, DgramSocket from, int port) throws InterruptedException {
    String marker = tag("marker");
    send(from, marker, port, "127.0.0.1");
    while (true) {
      Sockets.Received r = inbox.next(marker);
      assertNotEquals(tag, r.text(), "delivered although it must not be: " + tag);
      if (r.text().equals(marker)) {
        break;
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ABSENCE_MILLIS);
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      Sockets.Received r = inbox.queue.poll(left, TimeUnit.NANOSECONDS);
      if (r != null) {
        assertNotEquals(tag, r.text(), "delivered although it must not be: " + tag);
      }
    }
  }

  // ---------------------------------------------------------------- any-source, udp4

  /** Node's addMembership(group, iface) delivers the group's datagrams until dropMembership. */
  @Test
  void joinedGroupReceivesUntilDropMembership() throws Exception {
    String group = group4();
    DgramSocket rx = receiver("udp4");
    DgramSocket tx = sender4("127.0.0.1");
    try {
      Sockets.Inbox inbox = new Sockets.Inbox(rx);
      int port = rx.address().port();
      rx.addMembership(group, "127.0.0.1");
      String joined = tag("joined");
      send(tx, joined, port, group);
      Sockets.Received r = awaitTag(inbox, joined);
      assertEquals("127.0.0.1", r.rinfo.address());
      assertEquals("IPv4", r.rinfo.family());
      assertEquals(tx.address().port(), r.rinfo.port());

      rx.dropMembership(group, "127.0.0.1");
      String dropped = tag("dropped");
      send(tx, dropped, port, group);
      assertNotDelivered(inbox, dropped, tx, port);
    } finally {
      rx.close();
      tx.close();
    }
  }

  /** Node's addMembership without an interface lets the system choose; the group is joined. */
  @Test
  void addMembershipWithoutInterfaceJoinsOnSystemChoice() {
    String group = group4();
    DgramSocket rx = receiver("udp4");
    try {
      rx.addMembership(group);
      assertSystemError("addMembership", "EADDRINUSE", -98, () -> rx.addMembership(group));
      rx.dropMembership(group);
    } finally {
      rx.close();
    }
  }

  /** Node's second addMembership of the same group and interface: EADDRINUSE. */
  @Test
  void addMembershipTwiceFailsWithEaddrinuse() {
    String group = group4();
    DgramSocket rx = receiver("udp4");
    try {
      rx.addMembership(group, "127.0.0.1");
      assertSystemError(
          "addMembership", "EADDRINUSE", -98, () -> rx.addMembership(group, "127.0.0.1"));
    } finally {
      rx.close();
    }
  }

  /**
   * Node's addMembership on an interface address that no device has (198.51.100.7, TEST-NET-2): the
   * kernel finds no device, {@code addMembership ENODEV} (-19), as Node 20 reports it.
   */
  @Test
  void addMembershipOnAnAddressNoDeviceHasFailsWithEnodev() {
    DgramSocket rx = receiver("udp4");
    try {
      assertSystemError(
          "addMembership", "ENODEV", -19, () -> rx.addMembership(group4(), "198.51.100.7"));
    } finally {
      rx.close();
    }
  }

  /** Node's dropMembership of a group the socket has not joined: EADDRNOTAVAIL. */
  @Test
  void dropMembershipOfGroupNotJoinedFailsWithEaddrnotavail() {
    String group = group4();
    DgramSocket rx = receiver("udp4");
    try {
      assertSystemError(
          "dropMembership", "EADDRNOTAVAIL", -99, () -> rx.dropMembership(group, "127.0.0.1"));
      assertSystemError("dropMembership", "EADDRNOTAVAIL", -99, () -> rx.dropMembership(group));
      rx.addMembership(group, "127.0.0.1");
      rx.dropMembership(group, "127.0.0.1");
      assertSystemError(
          "dropMembership", "EADDRNOTAVAIL", -99, () -> rx.dropMembership(group, "127.0.0.1"));
    } finally {
      rx.close();
    }
  }

  /** Node's addMembership of a unicast address ("127.0.0.1"): EINVAL from the kernel. */
  @Test
  void addMembershipOfUnicastAddressFailsWithEinval() {
    DgramSocket rx = receiver("udp4");
    try {
      assertSystemError("addMembership", "EINVAL", -22, () -> rx.addMembership("127.0.0.1"));
    } finally {
      rx.close();
    }
  }

  /** Node's addMembership of something that is not an IP address: EINVAL. */
  @Test
  void addMembershipOfNonAddressFailsWithEinval() {
    DgramSocket rx = receiver("udp4");
    try {
      assertSystemError("addMembership", "EINVAL", -22, () -> rx.addMembership("foo"));
    } finally {
      rx.close();
    }
  }

  /** Node's addMembership(null or ""): ERR_MISSING_ARGS, before anything else (even unbound). */
  @Test
  void addMembershipWithoutAddressFailsWithMissingArgs() {
    DgramSocket unbound = Dgram.createSocket("udp4");
    DgramSocket bound = receiver("udp4");
    try {
      for (DgramSocket s : new DgramSocket[] {unbound, bound}) {
        for (String group : new String[] {null, ""}) {
          assertNodeError(
              "ERR_MISSING_ARGS",
              "The \"multicastAddress\" argument must be specified",
              null,
              null,
              () -> s.addMembership(group));
          assertNodeError(
              "ERR_MISSING_ARGS",
              "The \"multicastAddress\" argument must be specified",
              null,
              null,
              () -> s.dropMembership(group));
        }
      }
    } finally {
      unbound.close();
      bound.close();
    }
  }

  /**
   * Node's addMembership on an unbound socket binds it to all interfaces on a random port before it
   * returns; jdgram then emits 'listening' and receives the group's datagrams.
   */
  @Test
  void addMembershipOnUnboundSocketBindsItImplicitly() {
    String group = group4();
    DgramSocket rx = Dgram.createSocket("udp4");
    DgramSocket tx = sender4("127.0.0.1");
    try {
      CompletableFuture<Void> listening = new CompletableFuture<>();
      rx.on(DgramSocket.LISTENING, () -> listening.complete(null));
      Sockets.Inbox inbox = new Sockets.Inbox(rx);
      rx.addMembership(group, "127.0.0.1");
      AddressInfo address = rx.address();
      assertEquals("0.0.0.0", address.address());
      assertEquals("IPv4", address.family());
      assertTrue(address.port() > 0, "port " + address.port());
      Sockets.await(listening, "'listening' after the implicit bind");
      String tag = tag("implicit");
      send(tx, tag, address.port(), group);
      awaitTag(inbox, tag);
    } finally {
      rx.close();
      tx.close();
    }
  }

  /**
   * No public method waits for a socket's progress (Node's never do): addMembership on a socket
   * whose bind is waiting for a slow lookup returns at once; the join happens right after the bind,
   * before 'listening', and a close before then still closes (once), with no join and no error.
   */
  @Test
  void addMembershipWhileBindIsPendingReturnsAtOnceAndJoinsAfterTheBind() {
    String group = group4();
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    DgramSocket rx = Dgram.createSocket(SocketOptions.of("udp4").lookup((host, family) -> answer));
    try {
      CompletableFuture<Void> listening = new CompletableFuture<>();
      rx.on(DgramSocket.LISTENING, () -> listening.complete(null));
      rx.bind(0, "slow.test");
      long start = System.nanoTime();
      rx.addMembership(group, "127.0.0.1");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 2_000, "addMembership returned after " + millis + " ms");
      answer.complete(InetAddress.getByName("0.0.0.0"));
      Sockets.await(listening, "'listening' after the slow bind");
      assertSystemError(
          "addMembership",
          "EADDRINUSE",
          -98,
          () -> rx.addMembership(group, "127.0.0.1")); // joined already, before 'listening'
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    } finally {
      answer.complete(null);
      Sockets.closeAndWait(rx);
    }
  }

  /** A join waiting for a bind that close() abandons is dropped quietly; 'close' comes, once. */
  @Test
  void closeWhileAJoinWaitsForThePendingBindStillCloses() {
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    DgramSocket rx = Dgram.createSocket(SocketOptions.of("udp4").lookup((host, family) -> answer));
    CompletableFuture<DgramException> error = Sockets.firstError(rx);
    rx.bind(0, "slow.test");
    rx.addMembership(group4(), "127.0.0.1");
    Sockets.closeAndWait(rx);
    answer.complete(InetAddress.getLoopbackAddress());
    Sockets.barrier("a late join or 'error'");
    assertTrue(!error.isDone(), "no 'error': " + error.getNow(null));
  }

  // ---------------------------------------------------------------- source-specific, udp4

  /** Node validates both addresses as strings first: ERR_INVALID_ARG_TYPE naming the argument. */
  @Test
  void sourceSpecificMembershipWithNullFailsWithInvalidArgType() {
    DgramSocket rx = receiver("udp4");
    try {
      String g = ssmGroup4();
      assertNodeError(
          "ERR_INVALID_ARG_TYPE",
          "The \"sourceAddress\" argument must be of type string. Received null",
          null,
          null,
          () -> rx.addSourceSpecificMembership(null, g));
      assertNodeError(
          "ERR_INVALID_ARG_TYPE",
          "The \"groupAddress\" argument must be of type string. Received null",
          null,
          null,
          () -> rx.addSourceSpecificMembership("127.0.0.1", null));
      assertNodeError(
          "ERR_INVALID_ARG_TYPE",
          "The \"sourceAddress\" argument must be of type string. Received null",
          null,
          null,
          () -> rx.dropSourceSpecificMembership(null, g));
      assertNodeError(
          "ERR_INVALID_ARG_TYPE",
          "The \"groupAddress\" argument must be of type string. Received null",
          null,
          null,
          () -> rx.dropSourceSpecificMembership("127.0.0.1", null));
    } finally {
      rx.close();
    }
  }

  /**
   * Node's addSourceSpecificMembership(S, G, iface) delivers G's datagrams from S only, until
   * dropSourceSpecificMembership.
   */
  @Test
  void sourceSpecificMembershipReceivesOnlyFromTheSource() throws Exception {
    String group = ssmGroup4();
    DgramSocket rx = receiver("udp4");
    DgramSocket fromSource = sender4("127.0.0.1");
    DgramSocket fromOther = sender4("127.0.0.2");
    try {
      Sockets.Inbox inbox = new Sockets.Inbox(rx);
      int port = rx.address().port();
      rx.addSourceSpecificMembership("127.0.0.1", group, "127.0.0.1");

      String other = tag("other-source");
      send(fromOther, other, port, group);
      assertNotDelivered(inbox, other, fromOther, port);

      String joined = tag("ssm");
      send(fromSource, joined, port, group);
      Sockets.Received r = awaitTag(inbox, joined);
      assertEquals("127.0.0.1", r.rinfo.address());
      assertEquals(fromSource.address().port(), r.rinfo.port());

      rx.dropSourceSpecificMembership("127.0.0.1", group, "127.0.0.1");
      String dropped = tag("ssm-dropped");
      send(fromSource, dropped, port, group);
      assertNotDelivered(inbox, dropped, fromSource, port);
    } finally {
      rx.close();
      fromSource.close();
      fromOther.close();
    }
  }

  /**
   * Node's second addSourceSpecificMembership of the same channel: the kernel's EADDRNOTAVAIL (not
   * EADDRINUSE as for any-source groups).
   */
  @Test
  void sourceSpecificMembershipTwiceFailsWithEaddrnotavail() {
    String group = ssmGroup4();
    DgramSocket rx = receiver("udp4");
    try {
      rx.addSourceSpecificMembership("127.0.0.1", group, "127.0.0.1");
      assertSystemError(
          "addSourceSpecificMembership",
          "EADDRNOTAVAIL",
          -99,
          () -> rx.addSourceSpecificMembership("127.0.0.1", group, "127.0.0.1"));
    } finally {
      rx.close();
    }
  }

  /**
   * Node's dropSourceSpecificMembership of a channel not joined: EINVAL when the group has no
   * membership at all, EADDRNOTAVAIL when it has one for other sources (the kernel's answers).
   */
  @Test
  void dropSourceSpecificMembershipNotJoinedFails() {
    String group = ssmGroup4();
    DgramSocket rx = receiver("udp4");
    try {
      assertSystemError(
          "dropSourceSpecificMembership",
          "EINVAL",
          -22,
          () -> rx.dropSourceSpecificMembership("127.0.0.1", group, "127.0.0.1"));
      rx.addSourceSpecificMembership("127.0.0.1", group, "127.0.0.1");
      assertSystemError(
          "dropSourceSpecificMembership",
          "EADDRNOTAVAIL",
          -99,
          () -> rx.dropSourceSpecificMembership("127.0.0.2", group, "127.0.0.1"));
      rx.dropSourceSpecificMembership("127.0.0.1", group, "127.0.0.1");
    } finally {
      rx.close();
    }
  }

  /** Node's addSourceSpecificMembership with a source or group that is not an IP: EINVAL. */
  @Test
  void sourceSpecificMembershipWithNonAddressFailsWithEinval() {
    DgramSocket rx = receiver("udp4");
    try {
      String g = ssmGroup4();
      assertSystemError(
          "addSourceSpecificMembership",
          "EINVAL",
          -22,
          () -> rx.addSourceSpecificMembership("foo", g));
      assertSystemError(
          "addSourceSpecificMembership",
          "EINVAL",
          -22,
          () -> rx.addSourceSpecificMembership("127.0.0.1", "foo"));
      assertSystemError(
          "addSourceSpecificMembership",
          "EINVAL",
          -22,
          () -> rx.addSourceSpecificMembership("127.0.0.1", "127.0.0.2"));
    } finally {
      rx.close();
    }
  }

  // ---------------------------------------------------------------- udp6

  /** Node's second addMembership of the same IPv6 group on "::%lo": EADDRINUSE. */
  @Test
  void udp6AddMembershipTwiceFailsWithEaddrinuse() {
    String group = group6();
    DgramSocket rx = receiver("udp6");
    try {
      rx.addMembership(group, "::%lo");
      assertSystemError("addMembership", "EADDRINUSE", -98, () -> rx.addMembership(group, "::%lo"));
      rx.dropMembership(group, "::%lo");
      assertSystemError(
          "dropMembership", "EADDRNOTAVAIL", -99, () -> rx.dropMembership(group, "::%lo"));
    } finally {
      rx.close();
    }
  }

  /**
   * Node's udp6 socket joins an IPv4 group: libuv parses the group as IPv4 first and Linux's
   * dual-stack socket takes IP_ADD_MEMBERSHIP.
   */
  @Test
  void udp6SocketJoinsIpv4Group() {
    String group = group4();
    DgramSocket rx = receiver("udp6");
    try {
      rx.addMembership(group);
      rx.dropMembership(group);
    } finally {
      rx.close();
    }
  }

  /**
   * Node's udp6 addMembership(ff12::x, "::%lo") delivers datagrams sent with
   * setMulticastInterface("::%lo"), where the kernel loops IPv6 multicast on lo at all (probed with
   * plain JDK channels first).
   */
  @Test
  void udp6JoinedGroupReceivesOnLoopback() throws Exception {
    String group = group6();
    String problem = ipv6LoopbackMulticastProblem(group6());
    assumeTrue(
        problem == null, "the kernel does not deliver IPv6 multicast over lo here: " + problem);
    DgramSocket rx = receiver("udp6");
    DgramSocket tx = Sockets.bound("udp6");
    try {
      tx.setMulticastInterface("::%lo");
      tx.setMulticastLoopback(true);
      Sockets.Inbox inbox = new Sockets.Inbox(rx);
      rx.addMembership(group, "::%lo");
      String tag = tag("ipv6");
      send(tx, tag, rx.address().port(), group);
      Sockets.Received r = awaitTag(inbox, tag);
      assertEquals("IPv6", r.rinfo.family());
    } finally {
      rx.close();
      tx.close();
    }
  }

  /**
   * Whether this kernel delivers IPv6 multicast sent out of lo to a member on lo, tried with the
   * JDK's own channels so that a jdgram bug cannot make the test skip: null if it does, else why
   * not.
   */
  private static String ipv6LoopbackMulticastProblem(String group) {
    try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET6);
        DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET6);
        Selector selector = Selector.open()) {
      NetworkInterface lo = NetworkInterface.getByName("lo");
      if (lo == null) {
        return "no interface named lo";
      }
      InetAddress g = InetAddress.getByName(group);
      rx.bind(new InetSocketAddress("::", 0));
      rx.join(g, lo);
      rx.configureBlocking(false);
      rx.register(selector, SelectionKey.OP_READ);
      tx.bind(new InetSocketAddress("::1", 0));
      tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
      tx.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
      tx.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(g, port));
      if (selector.select(1_000) == 0) {
        return "a JDK DatagramChannel joined to " + group + " on lo received nothing in 1 s";
      }
      return null;
    } catch (IOException e) {
      return "the JDK probe failed: " + e;
    }
  }
}
