package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IPv6 link-local addresses on LAN2: d sends from its fe80:: address to a, which has two interfaces
 * and receives on eth1. Node v20 in a's namespace reports the sender as {@code fe80::...%eth1}: the
 * zone is the name of the interface the datagram came in on (not its index, and not the sender's
 * interface, which is d's eth0). Replying to exactly that string goes out of eth1 and reaches d.
 */
@ExtendWith(Lab.Extension.class)
class LinkLocalNetTest {
  private final Lab lab;

  LinkLocalNetTest(Lab lab) {
    this.lab = lab;
  }

  @Test
  void linkLocalSenderHasInterfaceNameZoneAndReplyingToItWorks() {
    String aLinkLocal = lab.linkLocal("a", "eth1") + "%eth0"; // as seen from d
    String dLinkLocal = lab.linkLocal("d", "eth0");
    Sock d = lab.java("d").socket("udp6").bind();
    for (Host h : new Host[] {lab.node("a"), lab.java("a")}) {
      Sock a = h.socket("udp6").bind();
      String hello = Sock.tag("hello");
      d.send(hello, a.port(), lab.linkLocal("a", "eth1") + "%eth0");
      Host.Message m = a.receive(hello);
      assertEquals(dLinkLocal + "%eth1", m.address(), h.name + " (Node v20 is the reference)");
      assertEquals("IPv6", m.family());
      assertEquals(d.port(), m.port());

      String reply = Sock.tag("reply");
      a.send(reply, m.port(), m.address());
      Host.Message back = d.receive(reply);
      assertEquals(aLinkLocal, back.address());
      assertEquals(a.port(), back.port());
    }
  }
}
