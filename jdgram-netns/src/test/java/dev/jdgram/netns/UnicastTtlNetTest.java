package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Node's {@code setTTL}: the unicast IPv4 TTL / IPv6 hop limit, seen on the wire with tcpdump and
 * as reach across the router r (b on LAN1 to e on LAN3): a TTL of 1 dies at r, 2 arrives.
 *
 * <p>On the NIO transport the JDK has no unicast TTL option, and jdgram documents that {@code
 * setTTL} then throws ENOTSUP; these tests assert exactly that, and that the datagrams keep the
 * system default (64) instead.
 */
@ExtendWith(Lab.Extension.class)
class UnicastTtlNetTest {
  private static final int DEFAULT_TTL = 64;

  private final Lab lab;

  UnicastTtlNetTest(Lab lab) {
    this.lab = lab;
  }

  private static boolean v4(String type) {
    return "udp4".equals(type);
  }

  /** NIO: setTTL throws ENOTSUP (jdgram's documented limit); returns whether the TTL was set. */
  private boolean setTtl(Sock s, int ttl) {
    if (lab.epoll()) {
      assertEquals(String.valueOf(ttl), s.call("ttl", ttl), "setTTL returns ttl");
      return true;
    }
    Host.Err err = s.callThrows("ttl", ttl);
    assertEquals("ENOTSUP", err.code(), "NIO has no unicast TTL: " + err);
    assertEquals("setTTL", err.syscall(), "NIO has no unicast TTL: " + err);
    return false;
  }

  /** The default, then setTTL(7), captured on b's eth0 on the way to c. */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void setTtlIsTheTtlOnTheWire(String type) {
    Sock rx = lab.java("c").socket(type).bind();
    Sock tx = lab.java("b").socket(type).bind();
    String to = v4(type) ? Lab.C : Lab.C6;
    try (Capture cap = Capture.start(lab.net, "b", "eth0", 2, rx.port())) {
      String first = Sock.tag("default");
      tx.send(first, rx.port(), to);
      rx.receive(first);
      boolean set = setTtl(tx, 7);
      String second = Sock.tag("seven");
      tx.send(second, rx.port(), to);
      rx.receive(second);
      assertEquals(List.of(DEFAULT_TTL, set ? 7 : DEFAULT_TTL), cap.ttls(), cap.output());
    }
  }

  /** b to e through r: TTL 1 is dropped by r, TTL 2 arrives (NIO: ENOTSUP, default arrives). */
  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void ttlOfOneDoesNotCrossTheRouterWhileTwoDoes(String type) {
    Sock rx = lab.java("e").socket(type).bind();
    Sock tx = lab.java("b").socket(type).bind();
    String to = v4(type) ? Lab.E : Lab.E6;
    boolean set = setTtl(tx, 1);
    String one = Sock.tag("ttl1");
    tx.send(one, rx.port(), to);
    setTtl(tx, 2);
    String two = Sock.tag("ttl2");
    tx.send(two, rx.port(), to);
    Host.Message m = rx.receive(two);
    assertEquals(v4(type) ? Lab.B : Lab.B6, m.address());
    if (set) {
      rx.assertNotReceived(one, 300);
    } else {
      rx.receive(one);
    }
  }
}
