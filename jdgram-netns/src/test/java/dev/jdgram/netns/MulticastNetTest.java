package dev.jdgram.netns;

import static dev.jdgram.netns.Groups.group;
import static dev.jdgram.netns.Groups.iface;
import static dev.jdgram.netns.Groups.pick;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any-source multicast between hosts of {@link Lab}: Node's addMembership / dropMembership,
 * setMulticastInterface, setMulticastLoopback and setMulticastTTL, observed by other hosts and on
 * the wire and, for setMulticastTTL, as reach across the router r. udp4 groups are 239.77.n.1; udp6
 * groups ff15::77:n (site scope, interface given as {@code ::%eth0}) and ff02::77:n (link scope,
 * which needs the {@code %iface} zone); the groups r forwards are fixed ({@link
 * Groups#routedGroup}).
 */
@ExtendWith(Lab.Extension.class)
class MulticastNetTest {
  private final Lab lab;

  MulticastNetTest(Lab lab) {
    this.lab = lab;
  }

  /** a's sender, its multicast interface set to eth0 (LAN1). */
  private Sock senderOnA(String type) {
    Sock tx = lab.java("a").socket(type).bind();
    tx.call("mif", iface(type, Lab.A1, "eth0"));
    return tx;
  }

  /** Joined on b, a's datagrams to the group arrive (from a's address) until dropMembership. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void joinedGroupReceivesFromAnotherHostUntilDropMembership(String type) {
    String g = group(type);
    Sock rx = lab.java("b").socket(type).bind();
    rx.call("addm", g, iface(type, Lab.B, "eth0"));
    Sock tx = senderOnA(type);

    String joined = Sock.tag("joined");
    tx.send(joined, rx.port(), g);
    Host.Message m = rx.receive(joined);
    assertEquals(pick(type, Lab.A1, Lab.A1_6), m.address());
    assertEquals(tx.port(), m.port());
    assertEquals(pick(type, "IPv4", "IPv6"), m.family());

    rx.call("dropm", g, iface(type, Lab.B, "eth0"));
    String dropped = Sock.tag("dropped");
    tx.send(dropped, rx.port(), g);
    rx.assertNotDelivered(dropped, tx, pick(type, Lab.B, Lab.B6));
  }

  /** One socket in two groups receives both; after leaving one it still receives the other. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void oneSocketReceivesTwoGroupsAndLeavesThemSeparately(String type) {
    String g1 = group(type);
    String g2 = group(type);
    String via = iface(type, Lab.B, "eth0");
    Sock rx = lab.java("b").socket(type).bind();
    rx.call("addm", g1, via);
    rx.call("addm", g2, via);
    Sock tx = senderOnA(type);
    String t1 = Sock.tag("g1");
    String t2 = Sock.tag("g2");
    tx.send(t1, rx.port(), g1);
    tx.send(t2, rx.port(), g2);
    rx.receive(t1);
    rx.receive(t2);

    rx.call("dropm", g1, via);
    String t3 = Sock.tag("g1-left");
    String t4 = Sock.tag("g2-still");
    tx.send(t3, rx.port(), g1);
    tx.send(t4, rx.port(), g2);
    rx.receive(t4);
    rx.assertNotDelivered(t3, tx, pick(type, Lab.B, Lab.B6));
  }

  /**
   * addMembership without an interface lets the kernel choose: on a, whose IPv4 multicast route is
   * eth0, that is LAN1 (b's datagrams arrive, LAN2's d's do not), as Node v20 shows in the same
   * namespace; with the explicit interface 10.77.2.1 the group is joined on LAN2 as well. (On NIO,
   * which joins by interface, jdgram finds the interface the group's route leaves by.)
   */
  @Test
  void addMembershipWithoutInterfaceJoinsWhereTheSystemRoutesTheGroup() {
    Sock fromB = lab.java("b").socket("udp4").bind();
    Sock fromD = lab.java("d").socket("udp4").bind();
    for (Host h : new Host[] {lab.node("a"), lab.java("a")}) {
      String g = group("udp4");
      Sock rx = h.socket("udp4").bind();
      rx.call("addm", g);
      String viaLan1 = Sock.tag("lan1");
      fromB.send(viaLan1, rx.port(), g);
      assertEquals(Lab.B, rx.receive(viaLan1).address(), h.name);
      String viaLan2 = Sock.tag("lan2");
      fromD.send(viaLan2, rx.port(), g);
      rx.assertNotDelivered(viaLan2, fromD, Lab.A2);

      rx.call("addm", g, Lab.A2);
      String joined = Sock.tag("lan2-joined");
      fromD.send(joined, rx.port(), g);
      assertEquals(Lab.D, rx.receive(joined).address(), h.name);
    }
  }

  /**
   * A link-scope IPv6 group: joined on b's and d's eth0, a's datagram to ff02::77:n%eth0 goes out
   * of a's eth0 (LAN1, from a's fe80:: address) and only b gets it; to %eth1 only d gets it.
   */
  @Test
  void linkScopeIpv6GroupGoesOutOfTheZonesInterface() {
    String g = Groups.linkLocalGroup();
    Sock b = lab.java("b").socket("udp6").bind();
    Sock d = lab.java("d").socket("udp6").bind(b.port(), null);
    b.call("addm", g, "::%eth0");
    d.call("addm", g, "::%eth0");
    Sock tx = lab.java("a").socket("udp6").bind();

    String lan1 = Sock.tag("ff02-eth0");
    tx.send(lan1, b.port(), g + "%eth0");
    assertEquals(lab.linkLocal("a", "eth0") + "%eth0", b.receive(lan1).address());
    String lan2 = Sock.tag("ff02-eth1");
    tx.send(lan2, b.port(), g + "%eth1");
    assertEquals(lab.linkLocal("a", "eth1") + "%eth0", d.receive(lan2).address());
    b.assertNotDelivered(lan2, tx, Lab.B6);
    d.assertNotDelivered(lan1, tx, Lab.D6);
  }

  /** On a (two interfaces), setMulticastInterface decides which link the datagram goes out on. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void setMulticastInterfacePicksTheOutgoingLink(String type) {
    String g = group(type);
    Sock b = lab.java("b").socket(type).bind();
    Sock d = lab.java("d").socket(type).bind(b.port(), null);
    b.call("addm", g, iface(type, Lab.B, "eth0"));
    d.call("addm", g, iface(type, Lab.D, "eth0"));
    Sock tx = lab.java("a").socket(type).bind();

    tx.call("mif", iface(type, Lab.A1, "eth0"));
    String lan1 = Sock.tag("via-eth0");
    tx.send(lan1, b.port(), g);
    assertEquals(pick(type, Lab.A1, Lab.A1_6), b.receive(lan1).address());

    tx.call("mif", iface(type, Lab.A2, "eth1"));
    String lan2 = Sock.tag("via-eth1");
    tx.send(lan2, b.port(), g);
    assertEquals(pick(type, Lab.A2, Lab.A2_6), d.receive(lan2).address());

    d.assertNotDelivered(lan1, tx, pick(type, Lab.D, Lab.D6));
    b.assertNotDelivered(lan2, tx, pick(type, Lab.B, Lab.B6));
  }

  /**
   * A sender that is itself a member hears its own datagrams while multicast loopback is on (the
   * default), and not after setMulticastLoopback(false), while b keeps receiving them.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void setMulticastLoopbackDecidesWhetherTheSenderHearsItself(String type) {
    String g = group(type);
    Sock tx = senderOnA(type);
    tx.call("addm", g, iface(type, Lab.A1, "eth0"));
    Sock b = lab.java("b").socket(type).bind(tx.port(), null);
    b.call("addm", g, iface(type, Lab.B, "eth0"));

    String looped = Sock.tag("loop-default");
    tx.send(looped, tx.port(), g);
    tx.receive(looped);
    b.receive(looped);

    assertEquals("false", tx.call("mloop", 0));
    String silent = Sock.tag("loop-off");
    tx.send(silent, tx.port(), g);
    b.receive(silent);
    tx.assertNotReceived(silent, Sock.ABSENCE_MILLIS);

    assertEquals("true", tx.call("mloop", 1));
    String again = Sock.tag("loop-on");
    tx.send(again, tx.port(), g);
    tx.receive(again);
  }

  /** The default multicast TTL (1) and setMulticastTTL(5), captured on a's eth0. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void setMulticastTtlIsTheTtlOnTheWire(String type) {
    String g = group(type);
    Sock rx = lab.java("b").socket(type).bind();
    rx.call("addm", g, iface(type, Lab.B, "eth0"));
    Sock tx = senderOnA(type);
    try (Capture cap = Capture.start(lab.net, "a", "eth0", 2, rx.port())) {
      String first = Sock.tag("mttl-default");
      tx.send(first, rx.port(), g);
      rx.receive(first);
      assertEquals("5", tx.call("mttl", 5));
      String second = Sock.tag("mttl-5");
      tx.send(second, rx.port(), g);
      rx.receive(second);
      assertEquals(List.of(1, 5), cap.ttls(), cap.output());
    }
  }

  /**
   * b on LAN1 to a group that e joined on LAN3: with setMulticastTTL(1) the datagram stays on LAN1,
   * with setMulticastTTL(2) it crosses r and arrives with TTL 1 (tcpdump on e's eth0). r forwards
   * the group from LAN1 to LAN3 with smcrouted's static (*,G) route ({@link Lab#routeMulticast}),
   * and the kernel forwards only a datagram whose TTL exceeds the threshold (1), decrementing it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void multicastTtlOfOneStaysOnTheLanWhileTwoCrossesTheRouter(String type) {
    lab.routeMulticast();
    String g = Groups.routedGroup(type);
    Sock rx = lab.java("e").socket(type).bind();
    rx.call("addm", g, iface(type, Lab.E, "eth0"));
    Sock tx = lab.java("b").socket(type).bind();
    tx.call("mif", iface(type, Lab.B, "eth0"));
    try (Capture cap = Capture.start(lab.net, "e", "eth0", 1, rx.port())) {
      assertEquals("1", tx.call("mttl", 1));
      String one = Sock.tag("mttl1-routed");
      tx.send(one, rx.port(), g);
      assertEquals("2", tx.call("mttl", 2));
      String two = Sock.tag("mttl2-routed");
      tx.send(two, rx.port(), g);
      Host.Message m = rx.receive(two);
      assertEquals(pick(type, Lab.B, Lab.B6), m.address());
      assertEquals(tx.port(), m.port());
      rx.assertNotReceived(one, Sock.ABSENCE_MILLIS);
      assertEquals(List.of(1), cap.ttls(), cap.output());
    }
  }

  /**
   * Node leaves IP_MULTICAST_ALL / IPV6_MULTICAST_ALL at Linux's default (on): a socket bound to
   * the wildcard address also receives a group that another socket of the host joined on that port,
   * without joining it itself. Node v20 on b: both reuseAddr sockets get a's datagram.
   *
   * <p>Netty's EpollDatagramChannel turns IP_MULTICAST_ALL off; jdgram turns it back on, as Node
   * has it. On NIO, udp6 behaves as Node, but the JDK itself turns IP_MULTICAST_ALL off on IPv4
   * datagram sockets and offers no option to turn it back on, so udp4 cannot match Node there;
   * since JDK 22 (JDK-8241800) it turns IPV6_MULTICAST_ALL off as well (measured: JDK 17 udp6 as
   * Node, JDK 25 udp6 not), and the test asserts that documented JDK behaviour on NIO.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void socketThatDidNotJoinStillReceivesWhatAnotherSocketJoined(String type) {
    Sock tx = senderOnA(type);
    for (Host h : new Host[] {lab.node("b"), lab.java("b")}) {
      String g = group(type);
      Sock member = h.socket(type, "reuse=1").bind();
      Sock other = h.socket(type, "reuse=1").bind(member.port(), null);
      member.call("addm", g, iface(type, Lab.B, "eth0"));
      String t = Sock.tag("multicast-all");
      tx.send(t, member.port(), g);
      member.receive(t);
      if ("node".equals(h.kind) || lab.epoll() || !jdkFiltersGroups(type)) {
        other.receive(t);
      } else {
        // NIO: the JDK's own IP_MULTICAST_ALL=0, which jdgram cannot undo.
        other.assertNotDelivered(t, tx, pick(type, Lab.B, Lab.B6));
      }
    }
  }

  /** Whether the JDK turns IP_MULTICAST_ALL off on NIO sockets of {@code type}: JDK-8241800. */
  private static boolean jdkFiltersGroups(String type) {
    return Groups.v4(type) || Runtime.version().feature() >= 22;
  }
}
