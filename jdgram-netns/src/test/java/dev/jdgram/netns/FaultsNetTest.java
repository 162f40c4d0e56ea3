package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults on real links (issue 12), on a network of its own, since its scenarios take links down,
 * change MTUs and delete interfaces:
 *
 * <pre>
 *   s.eth0 10.77.11.1 ::1  ---  m.eth0 10.77.11.254 ::fe     (fd00:77:11::/64)
 *   m.eth1 10.77.12.254 ::fe  ---  t.eth0 10.77.12.5 and .6, ::5 and ::6   (fd00:77:12::/64)
 * </pre>
 *
 * <p>m routes between s and t and runs the {@link Relay} (loss, duplication, reordering,
 * corruption: this kernel has no netem). Where Node decides (the error a kernel condition gives),
 * Node v20 runs the same steps in the same namespace and jdgram must report the same error.
 */
class FaultsNetTest {
  private static final String S = "10.77.11.1";
  private static final String S6 = "fd00:77:11::1";
  private static final String M1 = "10.77.11.254";
  private static final String M1_6 = "fd00:77:11::fe";
  private static final String M2 = "10.77.12.254";
  private static final String M2_6 = "fd00:77:12::fe";
  private static final String T = "10.77.12.5";
  private static final String T6 = "fd00:77:12::5";
  private static final String T_OTHER = "10.77.12.6";
  private static final String T6_OTHER = "fd00:77:12::6";
  private static final String MC_IF = "10.77.13.5";
  private static final String MC_IF6 = "fd00:77:13::5";
  private static final long SEED = 12;

  /** What s needs back after its link was down (IPv6 drops the addresses, IPv4 the routes). */
  private static final List<String> S_SETUP =
      List.of(
          "ip link set eth0 up",
          "ip addr replace " + S + "/24 brd + dev eth0",
          "ip -6 addr replace " + S6 + "/64 dev eth0 nodad",
          "ip route replace 10.77.12.0/24 via " + M1,
          "ip -6 route replace fd00:77:12::/64 via " + M1_6);

  private static Netns net;
  private static final Map<String, Host> AGENTS = new LinkedHashMap<>();
  private static String transport;

  @BeforeAll
  static void network() {
    transport = System.getProperty("dev.jdgram.transport", "auto");
    Netns.Builder b =
        Netns.builder()
            .host("s")
            .router("m")
            .host("t")
            .link("s", "eth0", "m", "eth0", S + "/24", S6 + "/64")
            .address("m", "eth0", M1 + "/24", M1_6 + "/64")
            .link("m", "eth1", "t", "eth0", M2 + "/24", M2_6 + "/64")
            .address("t", "eth0", T + "/24", T_OTHER + "/24", T6 + "/64", T6_OTHER + "/64")
            .cmd("t", "ip route add default via " + M2)
            .cmd("t", "ip -6 route add default via " + M2_6);
    for (String c : S_SETUP) {
      b.cmd("s", c);
    }
    net = b.build();
  }

  @AfterAll
  static void teardown() {
    for (Host h : AGENTS.values()) {
      h.close();
    }
    AGENTS.clear();
    if (net != null) {
      net.close();
    }
  }

  @AfterEach
  void closeSockets() {
    for (Host h : AGENTS.values()) {
      h.reset();
    }
    restore();
  }

  /** Undoes every fault a scenario may leave behind, so that one failure does not cascade. */
  private static void restore() {
    // First the unreachable routes: deleting one by prefix deletes an IPv6 route of any type.
    net.exec("s", "sh", "-c", "ip route del unreachable 10.77.12.0/24 2>/dev/null; true");
    net.exec("s", "sh", "-c", "ip -6 route del unreachable fd00:77:12::/64 2>/dev/null; true");
    // The MTU first: an IPv6 address cannot be put back on a link whose MTU is below 1,280.
    net.exec("s", "ip", "link", "set", "eth0", "mtu", "1500");
    net.exec("m", "ip", "link", "set", "eth1", "mtu", "1500");
    net.exec("t", "ip", "link", "set", "eth0", "mtu", "1500");
    net.exec("s", "sh", "-ec", String.join("\n", S_SETUP));
    net.exec("t", "sh", "-c", "ip link del mc0 2>/dev/null; true");
  }

  private static synchronized Host java(String role) {
    return agent("java@" + role, () -> Host.java(net, role, transport));
  }

  private static synchronized Host node(String role) {
    return agent("node@" + role, () -> Host.node(net, role));
  }

  private static Host agent(String key, java.util.function.Supplier<Host> start) {
    Host h = AGENTS.get(key);
    if (h == null || !h.alive()) {
      h = start.get();
      AGENTS.put(key, h);
    }
    return h;
  }

  private static boolean v4(String type) {
    return "udp4".equals(type);
  }

  private static String t(String type) {
    return v4(type) ? T : T6;
  }

  // ------------------------------------------------------------------ the impaired link

  /**
   * A burst through the relay (seed {@value #SEED}: 5 % dropped, 5 % duplicated, 5 % held back, 5 %
   * corrupted): the receiver gets exactly the datagrams the relay forwarded intact, each as many
   * times as the relay sent it, never a corrupted one (its kernel counts every corrupted datagram
   * as a checksum error), the held-back ones late; then the same two sockets still exchange.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void impairedLinkDeliversExactlyTheIntactDatagramsAndTheDuplicates(String type) {
    int count = 2000;
    Sock rx = java("t").socket(type, "buf=" + Burst.BUFFER).bind();
    rx.call("burstrecv");
    Relay.Handle relay =
        Relay.Handle.start(
            net,
            "m",
            List.of(
                v4(type) ? "4" : "6",
                "0",
                t(type),
                String.valueOf(rx.port()),
                v4(type) ? M2 : M2_6,
                String.valueOf(SEED),
                "5",
                "5",
                "5",
                "5"));
    try {
      int relayPort = relay.port();
      long csumBefore = checksumErrors("t", type);
      Sock tx = java("s").socket(type, "buf=" + Burst.BUFFER).bind();
      tx.call("burstsend", count, relayPort, v4(type) ? M1 : M1_6, 20, 5);
      String sent =
          tx.host.await(l -> l.startsWith("ev " + tx.id + " burstsent "), 60_000, "burst sent");
      assertEquals("ev " + tx.id + " burstsent " + count + " 0 -", sent);

      int[] st = relay.stats();
      for (int i = 0; i < 100 && (st[0] < count || st[7] > 0); i++) {
        Netns.sleep(50);
        st = relay.stats();
      }
      int received = st[0];
      int forwarded = st[1];
      int dropped = st[2];
      int duplicated = st[3];
      int held = st[4];
      int late = st[5];
      int corrupted = st[6];
      assertEquals(count, received, "the relay got the whole burst (no loss before the fault)");
      assertEquals(0, st[7], "nothing still held back");
      assertTrue(
          dropped > 0 && duplicated > 0 && held > 0 && corrupted > 0, () -> "every fault ran");
      assertEquals(count, forwarded + dropped + corrupted, "each datagram had one fate");

      String expected = (forwarded + duplicated) + " " + forwarded + " 0 " + duplicated;
      String stat = rx.call("burststat");
      for (int i = 0; i < 100 && !stat.equals(expected); i++) {
        Netns.sleep(50);
        stat = rx.call("burststat");
      }
      Netns.sleep(200);
      stat = rx.call("burststat");
      String figures =
          String.format(
              "sent %d, relay: dropped %d, duplicated %d, held back %d (late %d), corrupted %d;"
                  + " receiver (received valid corrupt duplicates): %s; counters: %s",
              count, dropped, duplicated, held, late, corrupted, stat, counters("t", type));
      System.err.println("jdgram-netns faults " + transport + " " + type + ": " + figures);
      assertEquals(
          expected,
          stat,
          "received = forwarded + duplicates, valid = forwarded, no corrupt one, duplicates as"
              + " the relay made them; "
              + figures);
      assertEquals(late, Integer.parseInt(rx.call("burstlate")), "reordered as the relay did");
      assertTrue(late >= held - 1, () -> "the held-back datagrams arrived late; " + figures);
      assertEquals(
          corrupted,
          checksumErrors("t", type) - csumBefore,
          "the receiving kernel dropped every corrupted datagram for its checksum; " + figures);

      // The receiving socket keeps working, and so does the sender.
      String after = Sock.tag("after-faults");
      Sock rx2 = java("t").socket(type).bind();
      tx.send(after, rx2.port(), t(type));
      rx2.receive(after);
    } finally {
      relay.close();
    }
  }

  private long checksumErrors(String role, String type) {
    if (v4(type)) {
      String[] lines = net.exec(role, "cat", "/proc/net/snmp").split("\n");
      String[] names = null;
      for (String l : lines) {
        if (l.startsWith("Udp:")) {
          if (names == null) {
            names = l.split("\\s+");
          } else {
            String[] v = l.split("\\s+");
            for (int i = 0; i < names.length; i++) {
              if ("InCsumErrors".equals(names[i])) {
                return Long.parseLong(v[i]);
              }
            }
          }
        }
      }
    } else {
      for (String l : net.exec(role, "cat", "/proc/net/snmp6").split("\n")) {
        if (l.startsWith("Udp6InCsumErrors")) {
          return Long.parseLong(l.trim().split("\\s+")[1]);
        }
      }
    }
    return fail("no UDP checksum counter in " + role);
  }

  private String counters(String role, String type) {
    StringBuilder b = new StringBuilder();
    for (String l :
        net.exec(role, "cat", v4(type) ? "/proc/net/snmp" : "/proc/net/snmp6").split("\n")) {
      if (l.startsWith("Udp:") || l.startsWith("Udp6In")) {
        b.append(l.replaceAll("\\s+", " ")).append("; ");
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ link and route faults

  /**
   * s's link goes down: Node and jdgram both get, in the send callback, the same Node-coded error
   * (here ENETUNREACH, syscall send, the destination's address and port); once the link is back
   * (with its addresses and routes), the same socket sends again.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void linkDownGivesNodesSendErrorAndTheSameSocketRecovers(String type) {
    Sock rx = java("t").socket(type).bind();
    Map<String, Host.Err> errors = new LinkedHashMap<>();
    for (Host h : new Host[] {node("s"), java("s")}) {
      Sock tx = h.socket(type).bind();
      tx.send(Sock.tag("before"), rx.port(), t(type));
      net.exec("s", "ip", "link", "set", "eth0", "down");
      Host.Err err = tx.sendResult(tx.sendAsync(Sock.tag("down"), rx.port(), t(type)));
      errors.put(h.kind, err);
      net.exec("s", "sh", "-ec", String.join("\n", S_SETUP));
      String after = Sock.tag("after");
      tx.send(after, rx.port(), t(type));
      rx.receive(after);
    }
    System.err.println("jdgram-netns faults " + transport + " " + type + " link down: " + errors);
    assertCoded(errors.get("node"), "node");
    assertEquals(errors.get("node"), errors.get("java"), "jdgram reports what Node reports");
  }

  /**
   * A burst of {@value Burst#SIZE}-byte datagrams over a link whose MTU (500) is smaller than one
   * of them. Sent one by one, each is fragmented and arrives; joined into a UDP GSO write (epoll,
   * io_uring), the kernel refuses the write whole (EINVAL: a segment larger than the route's MTU),
   * and jdgram must send those datagrams one by one instead, in order, with no error and no loss.
   * IPv4 only: IPv6 needs an MTU of at least 1,280 (s loses its IPv6 address until restore()).
   */
  @Test
  void aBurstOverALinkWithAnMtuBelowTheDatagramsArrivesWholeAndInOrder() {
    int count = 2000;
    net.exec("s", "ip", "link", "set", "eth0", "mtu", "500"); // s's side: its route's MTU
    Sock rx = java("t").socket("udp4", "buf=" + Burst.BUFFER).bind();
    rx.call("burstrecv");
    Sock tx = java("s").socket("udp4").bind();
    tx.call("burstsend", count, rx.port(), T, 50, 5);
    String sent =
        tx.host.await(l -> l.startsWith("ev " + tx.id + " burstsent "), 60_000, "burst sent");
    assertEquals("ev " + tx.id + " burstsent " + count + " 0 -", sent, "every send succeeded");
    String stat = rx.call("burststat");
    for (int i = 0; i < 50 && !stat.startsWith(count + " "); i++) {
      Netns.sleep(100);
      stat = rx.call("burststat");
    }
    // received, valid, corrupt, duplicates
    assertEquals(count + " " + count + " 0 0", stat, "every datagram arrived whole, once");
    assertEquals("0", rx.call("burstlate"), "in order");
  }

  /**
   * A burst from jdgram while s's link goes down and comes back: every send calls back, every error
   * is a Node-coded send error of the kind the kernel gives for a missing link or route, nothing is
   * delivered twice or corrupted, no failed datagram arrives, and the same socket then sends.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void linkDownAndUpDuringABurstGivesOnlyNodeCodedSendErrors(String type) {
    int count = 3000;
    Sock rx = java("t").socket(type, "buf=" + Burst.BUFFER).bind();
    rx.call("burstrecv");
    Sock tx = java("s").socket(type).bind();
    tx.call("burstsend", count, rx.port(), t(type), 10, 5);
    Netns.sleep(300);
    net.exec("s", "ip", "link", "set", "eth0", "down");
    Netns.sleep(400);
    net.exec("s", "sh", "-ec", String.join("\n", S_SETUP));
    String sent =
        tx.host.await(l -> l.startsWith("ev " + tx.id + " burstsent "), 60_000, "burst sent");
    String[] w = sent.split(" ", 6);
    int called = Integer.parseInt(w[3]);
    int errors = Integer.parseInt(w[4]);
    String codes = tx.call("burstcodes");
    Netns.sleep(300);
    String[] stat = rx.call("burststat").split(" ");
    String figures =
        "sent "
            + count
            + ", callbacks "
            + called
            + ", errors "
            + errors
            + " ("
            + codes
            + "), receiver (received valid corrupt duplicates) "
            + String.join(" ", stat);
    System.err.println("jdgram-netns faults " + transport + " " + type + " link flap: " + figures);
    assertEquals(count, called, "every send called back; " + figures);
    assertTrue(errors > 0, "the link was down during the burst; " + figures);
    for (String c : codes.split(",")) {
      assertTrue(
          Set.of("ENETUNREACH/send", "EHOSTUNREACH/send", "ENETDOWN/send").contains(c),
          "a Node-coded send error, got " + c + "; " + figures);
    }
    int valid = Integer.parseInt(stat[1]);
    assertEquals("0", stat[2], "nothing corrupted; " + figures);
    assertEquals("0", stat[3], "nothing duplicated; " + figures);
    assertTrue(valid <= count - errors, "no failed datagram delivered; " + figures);
    assertTrue(valid > 0, "datagrams before and after the fault arrive; " + figures);
    String after = Sock.tag("after-flap");
    Sock rx2 = java("t").socket(type).bind();
    tx.send(after, rx2.port(), t(type));
    rx2.receive(after);
  }

  /**
   * s's route to t removed (ENETUNREACH), then replaced by an unreachable route (EHOSTUNREACH):
   * Node's codes in the send callback, the same in jdgram; with the route back the same socket
   * sends.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void removedOrUnreachableRouteGivesNodesSendErrorsThenRecovers(String type) {
    Sock rx = java("t").socket(type).bind();
    String prefix = v4(type) ? "10.77.12.0/24" : "fd00:77:12::/64";
    String ip = v4(type) ? "-4" : "-6";
    Map<String, List<Host.Err>> errors = new LinkedHashMap<>();
    for (Host h : new Host[] {node("s"), java("s")}) {
      Sock tx = h.socket(type).bind();
      tx.send(Sock.tag("before"), rx.port(), t(type));
      List<Host.Err> seen = new ArrayList<>();
      net.exec("s", "ip", ip, "route", "del", prefix);
      seen.add(tx.sendResult(tx.sendAsync(Sock.tag("noroute"), rx.port(), t(type))));
      net.exec("s", "ip", ip, "route", "add", "unreachable", prefix);
      seen.add(tx.sendResult(tx.sendAsync(Sock.tag("unreachable"), rx.port(), t(type))));
      net.exec("s", "ip", ip, "route", "del", "unreachable", prefix);
      net.exec("s", "sh", "-ec", String.join("\n", S_SETUP));
      String after = Sock.tag("after");
      tx.send(after, rx.port(), t(type));
      rx.receive(after);
      errors.put(h.kind, seen);
    }
    System.err.println("jdgram-netns faults " + transport + " " + type + " routes: " + errors);
    assertEquals("ENETUNREACH", code(errors.get("node").get(0)), "Node, no route");
    assertEquals("EHOSTUNREACH", code(errors.get("node").get(1)), "Node, unreachable route");
    assertEquals(errors.get("node"), errors.get("java"), "jdgram reports what Node reports");
  }

  private static String code(Host.Err e) {
    return e == null ? null : e.code();
  }

  private static void assertCoded(Host.Err e, String who) {
    assertTrue(
        e != null && Set.of("ENETUNREACH", "EHOSTUNREACH", "ENETDOWN").contains(e.code()),
        who + ": a send error, got " + e);
    assertEquals("send", e.syscall(), who);
  }

  // ------------------------------------------------------------------ MTU

  /**
   * s's link MTU is 1280 and the datagram 1400 bytes: Linux's UDP default (IP_MTU_DISCOVER
   * IP_PMTUDISC_WANT, IPV6_PMTUDISC_WANT) fragments it locally, so the send succeeds and t gets it
   * whole, from Node and from jdgram alike; no EMSGSIZE.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void datagramAboveTheLinkMtuIsFragmentedAndDeliveredWhole(String type) {
    net.exec("s", "ip", "link", "set", "eth0", "mtu", "1280");
    Sock rx = java("t").socket(type).bind();
    for (Host h : new Host[] {node("s"), java("s")}) {
      Sock tx = h.socket(type).bind();
      String big = Sock.tag("big") + "-" + "x".repeat(1400);
      big = big.substring(0, 1400);
      tx.send(big, rx.port(), t(type));
      assertEquals(1400, rx.receive(big).size(), h.name);
    }
  }

  /**
   * t's side of m has MTU 1280; a connected socket on s sends 1400 bytes: s's kernel sends it
   * unfragmented (DF set, or IPv6), m answers "fragmentation needed" / "packet too big", and the
   * socket hears it as Node does: the send itself succeeded, then an 'error' event EMSGSIZE
   * (syscall recvmsg); the next datagram, fragmented to the path MTU learnt, arrives whole. Node
   * and jdgram use different destination addresses, since the kernel remembers a path MTU per
   * destination.
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void pathMtuBelowTheDatagramGivesNodesEmsgsizeErrorEvent(String type) {
    net.exec("m", "ip", "link", "set", "eth1", "mtu", "1280");
    net.exec("t", "ip", "link", "set", "eth0", "mtu", "1280");
    Sock rx = java("t").socket(type).bind();
    Map<String, Host.Err> errors = new LinkedHashMap<>();
    String[] to = v4(type) ? new String[] {T, T_OTHER} : new String[] {T6, T6_OTHER};
    Host[] hosts = {node("s"), java("s")};
    for (int i = 0; i < hosts.length; i++) {
      Host h = hosts[i];
      Sock tx = h.socket(type).bind();
      tx.connect(rx.port(), to[i]);
      String first = (Sock.tag("pmtu1") + "x".repeat(1400)).substring(0, 1400);
      assertNull(tx.sendConnected(first), h.name + ": the send itself succeeds");
      Host.Err err = tx.awaitError();
      errors.put(h.kind, err);
      String second = (Sock.tag("pmtu2") + "x".repeat(1400)).substring(0, 1400);
      assertNull(tx.sendConnected(second), h.name);
      assertEquals(1400, rx.receive(second).size(), h.name + ": fragmented to the path MTU");
      assertTrue(tx.pollError(200).isEmpty(), h.name + ": one error only");
    }
    System.err.println("jdgram-netns faults " + transport + " " + type + " path MTU: " + errors);
    assertEquals("EMSGSIZE", code(errors.get("node")), "Node's error event");
    assertEquals(errors.get("node"), errors.get("java"), "jdgram reports what Node reports");
  }

  // ------------------------------------------------------------------ multicast

  /**
   * A group joined on an interface that is then deleted ({@code ip link del}): the socket still
   * receives unicast, dropMembership either succeeds or throws a Node-coded error (syscall
   * dropMembership), and close emits 'close' exactly once, with no 'error' event; Node and jdgram
   * alike. (What Node's dropMembership gives is pinned by the next test.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void deletedInterfaceOfAJoinedGroupLeavesDropAndCloseWorking(String type) {
    for (Host h : new Host[] {node("t"), java("t")}) {
      String drop = joinDeleteInterfaceDrop(h, type);
      System.err.println(
          "jdgram-netns faults "
              + transport
              + " "
              + type
              + " mc iface gone, "
              + h.name
              + ": "
              + drop);
      assertTrue(
          drop.equals("ok") || drop.matches("E[A-Z]+ -\\d+ dropMembership .*"),
          h.name + ": ok or a Node-coded error, got " + drop);
    }
  }

  /**
   * After the interface of a joined group is deleted, Node's dropMembership (given the same
   * interface) succeeds: the kernel finds the membership by the interface address (IPv4) or, the
   * {@code %mc0} scope no longer resolving to an index, by group alone (IPv6, index 0).
   */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void dropMembershipOnADeletedInterfaceSucceedsAsInNode(String type) {
    assertEquals("ok", joinDeleteInterfaceDrop(node("t"), type), "Node v20 is the reference");
    assertEquals("ok", joinDeleteInterfaceDrop(java("t"), type), "jdgram as Node");
  }

  /**
   * On t: a fresh interface mc0, a socket on {@code h} joining a group on it, mc0 deleted, a
   * unicast datagram from s received, dropMembership on mc0 ({@code ok} or the error as {@code code
   * errno syscall message}), then close with exactly one 'close' and no 'error'.
   */
  private String joinDeleteInterfaceDrop(Host h, String type) {
    String group = v4(type) ? "239.77.13.1" : "ff15::77:13:1";
    String iface = v4(type) ? MC_IF : "::%mc0";
    net.exec(
        "t",
        "sh",
        "-ec",
        String.join(
            "\n",
            "ip link add mc0 type veth peer name mc1",
            "ip addr add " + MC_IF + "/24 dev mc0",
            "ip -6 addr add " + MC_IF6 + "/64 dev mc0 nodad",
            "ip link set mc1 up",
            "ip link set mc0 up"));
    Sock rx = h.socket(type).bind();
    rx.call("addm", group, iface);
    net.exec("t", "ip", "link", "del", "mc0");
    String alive = Sock.tag("still");
    java("s").socket(type).bind().send(alive, rx.port(), t(type));
    rx.receive(alive);
    String drop;
    try {
      rx.call("dropm", group, iface);
      drop = "ok";
    } catch (Host.Thrown e) {
      drop = e.err.code() + " " + e.err.errno() + " " + e.err.syscall() + " " + e.err.message();
    }
    rx.close();
    assertTrue(
        h.poll(l -> l.equals("ev " + rx.id + " close"), 300).isEmpty(), h.name + ": 'close' once");
    assertTrue(rx.pollError(0).isEmpty(), h.name + ": no 'error' event");
    return drop;
  }
}
