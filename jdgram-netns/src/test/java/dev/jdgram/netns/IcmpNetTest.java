package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ICMP port unreachable from another host (b has nothing on port 9). Node v20, run in the same
 * namespace, surfaces it on a connected socket as an {@code 'error'} event {@code recvmsg
 * ECONNREFUSED} (code ECONNREFUSED, errno -111, syscall recvmsg, no address or port), after a send
 * whose callback succeeded, once per datagram refused; the socket stays open and usable. An
 * unconnected socket never hears of it (Linux reports ICMP errors to connected sockets only).
 */
@ExtendWith(Lab.Extension.class)
class IcmpNetTest {
  private static final int CLOSED_PORT = 9;
  private static final Host.Err REFUSED =
      new Host.Err("ECONNREFUSED", -111, "recvmsg", null, null, "recvmsg ECONNREFUSED");

  private final Lab lab;

  IcmpNetTest(Lab lab) {
    this.lab = lab;
  }

  private static String b(String type) {
    return "udp4".equals(type) ? Lab.B : Lab.B6;
  }

  /** Node and jdgram: error event ECONNREFUSED/recvmsg after each refused datagram, socket kept. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void connectedSocketGetsNodesEconnrefusedErrorEvent(String type) {
    for (Host h : new Host[] {lab.node("a"), lab.java("a")}) {
      Sock s = h.socket(type).bind();
      s.connect(CLOSED_PORT, b(type));
      for (int i = 0; i < 2; i++) {
        assertNull(s.sendConnected(Sock.tag("refused")), h.name + ": the send itself succeeds");
        assertEquals(REFUSED, s.awaitError(), h.name + " (Node v20 is the reference)");
      }
      // Still open and connected: a live peer on b gets the next datagram.
      s.call("disconnect");
      Sock rx = lab.java("b").socket(type).bind();
      s.connect(rx.port(), b(type));
      String t = Sock.tag("after");
      assertNull(s.sendConnected(t));
      rx.receive(t);
      assertTrue(s.pollError(200).isEmpty(), h.name + ": no further error");
    }
  }

  /** Node and jdgram: an unconnected socket sending to the closed port sees no error. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void unconnectedSocketIsUnaffectedByPortUnreachable(String type) {
    Sock rx = lab.java("b").socket(type).bind();
    for (Host h : new Host[] {lab.node("a"), lab.java("a")}) {
      Sock s = h.socket(type).bind();
      for (int i = 0; i < 3; i++) {
        s.send(Sock.tag("refused"), CLOSED_PORT, b(type));
      }
      String t = Sock.tag("live");
      s.send(t, rx.port(), b(type));
      rx.receive(t);
      assertTrue(s.pollError(300).isEmpty(), h.name + ": no 'error' on an unconnected socket");
    }
  }
}
