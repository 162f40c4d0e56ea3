package dev.jdgram.netns;

import static dev.jdgram.netns.Groups.iface;
import static dev.jdgram.netns.Groups.pick;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Node's addSourceSpecificMembership / dropSourceSpecificMembership between hosts of LAN1: b joins
 * (S = a, G) and receives a's datagrams to G but not c's, although c's reach b (an any-source
 * member of G on the same port, the witness, gets them). Groups 232.77.n.1 and ff3e::77:n.
 */
@ExtendWith(Lab.Extension.class)
class SourceSpecificMulticastNetTest {
  private final Lab lab;

  SourceSpecificMulticastNetTest(Lab lab) {
    this.lab = lab;
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void sourceSpecificMemberReceivesOnlyFromItsSourceUntilDropped(String type) {
    String g = Groups.ssmGroup(type);
    String source = pick(type, Lab.A1, Lab.A1_6);
    String via = iface(type, Lab.B, "eth0");
    Sock ssm = lab.java("b").socket(type, "reuse=1").bind();
    Sock witness = lab.java("b").socket(type, "reuse=1").bind(ssm.port(), null);
    ssm.call("addssm", source, g, via);
    witness.call("addm", g, via);
    Sock a = lab.java("a").socket(type).bind();
    a.call("mif", iface(type, Lab.A1, "eth0"));
    Sock c = lab.java("c").socket(type).bind();
    c.call("mif", iface(type, Lab.C, "eth0"));

    String fromS = Sock.tag("from-source");
    a.send(fromS, ssm.port(), g);
    Host.Message m = ssm.receive(fromS);
    assertEquals(source, m.address());
    witness.receive(fromS);

    String fromOther = Sock.tag("from-other");
    c.send(fromOther, ssm.port(), g);
    assertEquals(pick(type, Lab.C, Lab.C6), witness.receive(fromOther).address());
    ssm.assertNotReceived(fromOther, Sock.ABSENCE_MILLIS);

    // The witness goes first (closed, so that the unicast marker cannot go to it): while any socket
    // of the host is in G, Linux also delivers G to a
    // socket with no membership of G on that port (IP_MULTICAST_ALL, on by default, as in Node;
    // see MulticastNetTest.socketThatDidNotJoinStillReceivesWhatAnotherSocketJoined).
    witness.close();
    ssm.call("dropssm", source, g, via);
    String dropped = Sock.tag("dropped");
    a.send(dropped, ssm.port(), g);
    ssm.assertNotDelivered(dropped, a, pick(type, Lab.B, Lab.B6));
  }
}
