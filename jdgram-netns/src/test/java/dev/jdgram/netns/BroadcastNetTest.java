package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Node's setBroadcast on a real Ethernet segment: LAN1 of {@link Lab}. */
@ExtendWith(Lab.Extension.class)
class BroadcastNetTest {
  private final Lab lab;

  BroadcastNetTest(Lab lab) {
    this.lab = lab;
  }

  @Test
  void explore() {
    Sock node = lab.node("a").socket("udp4").bind();
    String t = Sock.tag("bcast");
    Host.Err nodeErr = node.sendResult(node.sendAsync(t, 9999, Lab.LAN1_BROADCAST));
    System.out.println("NODE: " + nodeErr);
    Sock j = lab.java("a").socket("udp4").bind();
    Host.Err jErr = j.sendResult(j.sendAsync(t, 9999, Lab.LAN1_BROADCAST));
    System.out.println("JAVA: " + jErr);
    assertEquals(nodeErr, jErr);
  }
}
