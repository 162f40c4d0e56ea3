package dev.jdgram.netns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The network every test here runs on, built once per test run and shared by all test classes, with
 * the agents that run in it (started when first asked for, then reused):
 *
 * <pre>
 *   LAN1 (bridge sw1)  10.77.1.0/24  fd00:77:1::/64
 *     a.eth0 .1 ::1    b.eth0 .2 ::2    c.eth0 .3 ::3    r.eth0 .254 ::fe
 *   LAN2 (bridge sw2)  10.77.2.0/24  fd00:77:2::/64
 *     a.eth1 .1 ::1    d.eth0 .4 ::4
 *   LAN3 (veth r-e)    10.77.3.0/24  fd00:77:3::/64
 *     r.eth1 .254 ::fe e.eth0 .5 ::5
 * </pre>
 *
 * <p>{@code a} has two interfaces (the multicast-interface tests); its IPv4 multicast route points
 * at eth0, so the system's choice of interface is eth0. {@code r} routes between LAN1 and LAN3; b,
 * c and e have routes through it. Multicast r forwards only after {@link #routeMulticast}, and then
 * only the groups of {@link Groups#routedGroup}, from LAN1 to LAN3. The jdgram agents run on the
 * transport named by the test JVM's {@code dev.jdgram.transport} (the module's three surefire
 * executions: epoll, NIO, then io_uring).
 *
 * <p>Used as a JUnit extension: {@code @ExtendWith(Lab.Extension.class)} gives the test a {@code
 * Lab} parameter, closes every socket of every agent after each test, and closes the lab (multicast
 * routing daemon, agents, then namespaces) when the whole run ends. The namespaces' own shutdown
 * hook covers a run cut short.
 */
final class Lab implements AutoCloseable {
  static final String A1 = "10.77.1.1";
  static final String A2 = "10.77.2.1";
  static final String B = "10.77.1.2";
  static final String C = "10.77.1.3";
  static final String D = "10.77.2.4";
  static final String R1 = "10.77.1.254";
  static final String E = "10.77.3.5";
  static final String LAN1_BROADCAST = "10.77.1.255";
  static final String A1_6 = "fd00:77:1::1";
  static final String A2_6 = "fd00:77:2::1";
  static final String B6 = "fd00:77:1::2";
  static final String C6 = "fd00:77:1::3";
  static final String D6 = "fd00:77:2::4";
  static final String E6 = "fd00:77:3::5";

  final Netns net;
  final String transport;
  private final Map<String, Host> agents = new LinkedHashMap<>();
  private final Map<String, String> linkLocal = new LinkedHashMap<>();
  private MulticastRouter router;

  private Lab(Netns net, String transport) {
    this.net = net;
    this.transport = transport;
  }

  static Lab create() {
    Netns net =
        Netns.builder()
            .bridge("sw1")
            .bridge("sw2")
            .host("a")
            .host("b")
            .host("c")
            .host("d")
            .host("e")
            .router("r")
            .link("a", "eth0", "sw1", null, A1 + "/24", A1_6 + "/64")
            .link("a", "eth1", "sw2", null, A2 + "/24", A2_6 + "/64")
            .link("b", "eth0", "sw1", null, B + "/24", B6 + "/64")
            .link("c", "eth0", "sw1", null, C + "/24", C6 + "/64")
            .link("d", "eth0", "sw2", null, D + "/24", D6 + "/64")
            .link("r", "eth0", "sw1", null, R1 + "/24", "fd00:77:1::fe/64")
            .link("r", "eth1", "e", "eth0", "10.77.3.254/24", "fd00:77:3::fe/64")
            .address("e", "eth0", E + "/24", E6 + "/64")
            .cmd("a", "ip route add 224.0.0.0/4 dev eth0")
            .cmd("b", "ip route add 224.0.0.0/4 dev eth0")
            .cmd("b", "ip route add 10.77.3.0/24 via " + R1)
            .cmd("b", "ip -6 route add fd00:77:3::/64 via fd00:77:1::fe")
            .cmd("c", "ip route add 224.0.0.0/4 dev eth0")
            .cmd("d", "ip route add 224.0.0.0/4 dev eth0")
            .cmd("e", "ip route add default via 10.77.3.254")
            .cmd("e", "ip -6 route add default via fd00:77:3::fe")
            .build();
    return new Lab(net, System.getProperty("dev.jdgram.transport", "auto"));
  }

  /** The jdgram agent in {@code role}'s namespace, started on first use. */
  synchronized Host java(String role) {
    return agent("java@" + role, () -> Host.java(net, role, transport));
  }

  /** The Node agent in {@code role}'s namespace, started on first use. */
  synchronized Host node(String role) {
    return agent("node@" + role, () -> Host.node(net, role));
  }

  private Host agent(String key, java.util.function.Supplier<Host> start) {
    Host h = agents.get(key);
    if (h == null || !h.alive()) {
      h = start.get();
      agents.put(key, h);
    }
    return h;
  }

  /**
   * Makes r forward {@link Groups#routedGroup}'s groups (any source) arriving on eth0 (LAN1) out of
   * eth1 (LAN3): smcrouted in r, started on the first call and kept until the lab closes, with
   * static (*,G) routes and the default TTL threshold, 1, so a datagram crosses only with a TTL of
   * 2 or more and arrives with one less. Aborts the calling test, even under CI=true, if the kernel
   * cannot route multicast ({@link Environment#requireMulticastRouting}).
   */
  synchronized void routeMulticast() {
    Environment.requireMulticastRouting();
    if (router == null) {
      router =
          MulticastRouter.start(
              net,
              "r",
              List.of(
                  "phyint eth0 enable ttl-threshold 1",
                  "phyint eth1 enable ttl-threshold 1",
                  "mroute from eth0 group " + Groups.ROUTED_V4 + " to eth1",
                  "mroute from eth0 group " + Groups.ROUTED_V6 + " to eth1"));
    } else if (!router.alive()) {
      throw new IllegalStateException(router + " exited:\n" + router.output());
    }
  }

  /** Whether the agents run on a Linux-native transport (epoll or io_uring), not on NIO. */
  boolean epoll() {
    return !"nio".equals(transport);
  }

  /** The fe80:: address of {@code role}'s interface, without zone. */
  synchronized String linkLocal(String role, String ifname) {
    return linkLocal.computeIfAbsent(
        role + "%" + ifname,
        k -> {
          String out =
              Netns.run(
                  "ip", "-n", net.ns(role), "-6", "addr", "show", "dev", ifname, "scope", "link");
          Matcher m = Pattern.compile("inet6 (fe80::[0-9a-f:]+)/64").matcher(out);
          if (!m.find()) {
            throw new IllegalStateException("no link-local address on " + k + ":\n" + out);
          }
          return m.group(1);
        });
  }

  /** The kernel's UDP counters in {@code role}'s namespace (from /proc/net/snmp and snmp6). */
  String udpCounters(String role) {
    StringBuilder b = new StringBuilder();
    for (String line : net.exec(role, "cat", "/proc/net/snmp").split("\n")) {
      if (line.startsWith("Udp:")) {
        b.append(line).append('\n');
      }
    }
    for (String line : net.exec(role, "cat", "/proc/net/snmp6").split("\n")) {
      if (line.startsWith("Udp6InDatagrams")
          || line.startsWith("Udp6RcvbufErrors")
          || line.startsWith("Udp6InErrors")) {
        b.append(line).append('\n');
      }
    }
    return b.toString();
  }

  /** Closes every socket of every agent. */
  synchronized void reset() {
    for (Host h : agents.values()) {
      h.reset();
    }
  }

  @Override
  public synchronized void close() {
    if (router != null) {
      router.close();
      router = null;
    }
    for (Host h : agents.values()) {
      h.close();
    }
    agents.clear();
    net.close();
  }

  /** The JUnit side: one lab per run, a {@code Lab} parameter, sockets closed after each test. */
  static final class Extension implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS =
        ExtensionContext.Namespace.create(Lab.class);

    private static Lab lab(ExtensionContext context) {
      Environment.require();
      return context
          .getRoot()
          .getStore(NS)
          .getOrComputeIfAbsent(Lab.class, k -> Lab.create(), Lab.class);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
      lab(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
      lab(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
      return p.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
      return lab(context);
    }
  }
}
