package dev.jdgram.netns;

import static dev.jdgram.netns.Groups.group;
import static dev.jdgram.netns.Groups.iface;
import static dev.jdgram.netns.Groups.pick;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jdgram (on a) and real Node.js dgram (on b, {@code src/test/node/agent.js}) exchange datagrams
 * over LAN1 both ways: unicast, multicast, and bursts of 10,000 checksummed datagrams (sequence
 * number, payload, SHA-256; see {@link Burst}) at a pace the receive buffer absorbs, which must
 * arrive with none lost, corrupted or duplicated.
 */
@ExtendWith(Lab.Extension.class)
class NodeInteropNetTest {
  private final Lab lab;

  NodeInteropNetTest(Lab lab) {
    this.lab = lab;
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void nodeAndJdgramExchangeUnicastBothWays(String type) {
    Sock jd = lab.java("a").socket(type).bind();
    Sock node = lab.node("b").socket(type).bind();
    String ping = Sock.tag("jdgram-to-node");
    jd.send(ping, node.port(), pick(type, Lab.B, Lab.B6));
    Host.Message m = node.receive(ping);
    assertEquals(pick(type, Lab.A1, Lab.A1_6), m.address());
    assertEquals(jd.port(), m.port());
    assertEquals(ping.length(), m.size());

    String pong = Sock.tag("node-to-jdgram");
    node.send(pong, m.port(), m.address());
    Host.Message back = jd.receive(pong);
    assertEquals(pick(type, Lab.B, Lab.B6), back.address());
    assertEquals(node.port(), back.port());
    assertEquals(pick(type, "IPv4", "IPv6"), back.family());
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void nodeAndJdgramExchangeMulticastBothWays(String type) {
    String g = group(type);
    Sock jd = lab.java("a").socket(type).bind();
    jd.call("addm", g, iface(type, Lab.A1, "eth0"));
    jd.call("mif", iface(type, Lab.A1, "eth0"));
    Sock node = lab.node("b").socket(type).bind();
    node.call("addm", g, iface(type, Lab.B, "eth0"));
    node.call("mif", iface(type, Lab.B, "eth0"));

    String toNode = Sock.tag("jdgram-to-group");
    jd.send(toNode, node.port(), g);
    assertEquals(pick(type, Lab.A1, Lab.A1_6), node.receive(toNode).address());
    String toJd = Sock.tag("node-to-group");
    node.send(toJd, jd.port(), g);
    assertEquals(pick(type, Lab.B, Lab.B6), jd.receive(toJd).address());
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void burstFromJdgramToNodeArrivesWhole(String type) {
    burst(lab.java("a"), lab.node("b"), "b", pick(type, Lab.B, Lab.B6), type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void burstFromNodeToJdgramArrivesWhole(String type) {
    burst(lab.node("b"), lab.java("a"), "a", pick(type, Lab.A1, Lab.A1_6), type);
  }

  /** Sends a burst from {@code from} to {@code to} (in namespace rxRole, at rxAddress). */
  private void burst(Host from, Host to, String rxRole, String rxAddress, String type) {
    Sock rx = to.socket(type, "buf=" + Burst.BUFFER).bind();
    rx.call("burstrecv");
    Sock tx = from.socket(type, "buf=" + Burst.BUFFER).bind();
    tx.call("burstsend", Burst.COUNT, rx.port(), rxAddress, Burst.BATCH, Burst.PAUSE_MILLIS);
    String sent =
        from.await(l -> l.startsWith("ev " + tx.id + " burstsent "), 120_000, "burst sent");
    assertEquals(
        "ev " + tx.id + " burstsent " + Burst.COUNT + " 0 -",
        sent,
        "every send called back, no error");
    assertBurstReceived(lab, rx, rxRole);
  }

  /** Waits (bounded) until the receiver has all datagrams, then asserts none lost or corrupt. */
  static void assertBurstReceived(Lab lab, Sock rx, String rxRole) {
    String expected = Burst.COUNT + " " + Burst.COUNT + " 0 0";
    String stat = rx.call("burststat");
    for (int i = 0; i < 100 && !stat.equals(expected); i++) {
      Netns.sleep(50);
      stat = rx.call("burststat");
    }
    assertEquals(
        expected,
        stat,
        "received, valid, corrupt, duplicate datagrams at "
            + rx
            + " (rcvbuf "
            + rx.call("rcvbuf")
            + "); kernel counters:\n"
            + lab.udpCounters(rxRole));
  }
}
