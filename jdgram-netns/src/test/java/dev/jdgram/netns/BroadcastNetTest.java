package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Node's {@code setBroadcast} on a real Ethernet segment, LAN1 of {@link Lab}: with it, a datagram
 * to the subnet's broadcast address reaches every host there; without it the kernel refuses the
 * send (EACCES) and the send callback gets exactly the error Node gives.
 */
@ExtendWith(Lab.Extension.class)
class BroadcastNetTest {
  private final Lab lab;

  BroadcastNetTest(Lab lab) {
    this.lab = lab;
  }

  /** setBroadcast(true): 10.77.1.255 reaches b and c, from a's address, and not LAN2's d. */
  @Test
  void setBroadcastTrueDeliversToEveryHostOnTheSubnet() {
    Sock b = lab.java("b").socket("udp4").bind();
    int port = b.port();
    Sock c = lab.java("c").socket("udp4").bind(port, null);
    Sock d = lab.java("d").socket("udp4").bind(port, null);
    Sock tx = lab.java("a").socket("udp4").bind();
    tx.call("broadcast", 1);
    String t = Sock.tag("broadcast");
    tx.send(t, port, Lab.LAN1_BROADCAST);
    Host.Message m = b.receive(t);
    assertEquals(Lab.A1, m.address());
    assertEquals(tx.port(), m.port());
    assertEquals("IPv4", m.family());
    assertEquals(Lab.A1, c.receive(t).address());
    d.assertNotReceived(t, 300);
  }

  /**
   * Without setBroadcast (and after setBroadcast(false)) the send fails with EACCES; Node v20 in
   * the same namespace gives {@code send EACCES 10.77.1.255:<port>} (code EACCES, errno -13,
   * syscall send, address and port set) to the send callback, and jdgram must give the same.
   */
  @Test
  void broadcastWithoutSetBroadcastFailsWithNodesEacces() {
    int port = 9999;
    Sock node = lab.node("a").socket("udp4").bind();
    Host.Err nodeErr = node.sendResult(node.sendAsync(Sock.tag("n"), port, Lab.LAN1_BROADCAST));
    Host.Err expected =
        new Host.Err(
            "EACCES",
            -13,
            "send",
            Lab.LAN1_BROADCAST,
            port,
            "send EACCES " + Lab.LAN1_BROADCAST + ":" + port);
    assertEquals(expected, nodeErr, "what Node v20 does (the reference)");

    Sock jd = lab.java("a").socket("udp4").bind();
    assertEquals(expected, jd.sendResult(jd.sendAsync(Sock.tag("j"), port, Lab.LAN1_BROADCAST)));
    jd.call("broadcast", 1);
    jd.call("broadcast", 0);
    assertEquals(expected, jd.sendResult(jd.sendAsync(Sock.tag("j2"), port, Lab.LAN1_BROADCAST)));
    // A failed send fails that send only: the socket still sends.
    Sock rx = lab.java("b").socket("udp4").bind();
    String ok = Sock.tag("after");
    jd.send(ok, rx.port(), Lab.B);
    rx.receive(ok);
  }
}
