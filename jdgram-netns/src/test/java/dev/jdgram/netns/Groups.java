package dev.jdgram.netns;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Multicast groups and interfaces by family, for the tests on {@link Lab}. Each group is fresh
 * within the run; the namespaces are the run's own, so no other run sees them.
 */
final class Groups {
  /** The IPv4 group that r forwards from LAN1 to LAN3 ({@link Lab#routeMulticast}). */
  static final String ROUTED_V4 = "239.77.0.1";

  /** The IPv6 group (site scope) that r forwards from LAN1 to LAN3. */
  static final String ROUTED_V6 = "ff15::77:0:1";

  private static final AtomicInteger N = new AtomicInteger();

  private Groups() {}

  static boolean v4(String type) {
    return "udp4".equals(type);
  }

  /** A fresh any-source group: 239.77.n.1, or ff15::77:n (transient, site scope). */
  static String group(String type) {
    int n = N.incrementAndGet();
    return v4(type) ? "239.77." + n + ".1" : "ff15::77:" + Integer.toHexString(n);
  }

  /**
   * The group that r forwards from LAN1 to LAN3 once {@link Lab#routeMulticast} ran: fixed, as r's
   * routes are, and never one of {@link #group}'s.
   */
  static String routedGroup(String type) {
    return v4(type) ? ROUTED_V4 : ROUTED_V6;
  }

  /** A fresh source-specific group: 232.77.n.1, or ff3e::77:n (FF3x::/96). */
  static String ssmGroup(String type) {
    int n = N.incrementAndGet();
    return v4(type) ? "232.77." + n + ".1" : "ff3e::77:" + Integer.toHexString(n);
  }

  /** A fresh link-local-scope IPv6 group, ff02::77:n, without zone. */
  static String linkLocalGroup() {
    return "ff02::77:" + Integer.toHexString(N.incrementAndGet());
  }

  /**
   * The multicastInterface argument naming {@code ifname} of a host whose IPv4 address there is
   * {@code v4Address}: the address for udp4, {@code ::%ifname} for udp6 (as Node documents).
   */
  static String iface(String type, String v4Address, String ifname) {
    return v4(type) ? v4Address : "::%" + ifname;
  }

  /** The address for {@code type} of a host whose two addresses are given. */
  static String pick(String type, String v4, String v6) {
    return v4(type) ? v4 : v6;
  }
}
