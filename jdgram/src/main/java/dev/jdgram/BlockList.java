package dev.jdgram;

import static dev.jdgram.internal.NodeInspect.inspect;

import dev.jdgram.internal.LibuvIp;
import dev.jdgram.internal.LibuvIp.Ip;
import dev.jdgram.internal.NodeErrors;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A set of rules for blocking IP addresses, mirroring Node's {@code net.BlockList}: single
 * addresses, inclusive ranges and subnets, each IPv4 or IPv6.
 *
 * <p>Addresses are IP literals only and are parsed exactly as Node parses them (libuv's {@code
 * inet_pton}): no DNS, no leading zeros in IPv4 octets, an IPv6 zone ({@code %eth0}) accepted and
 * ignored. A family is {@code "ipv4"} (the default) or {@code "ipv6"}, in any ASCII case.
 *
 * <p>As in Node, IPv4 rules and IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) match each
 * other: the IPv4 rule {@code 1.2.3.4} blocks {@code ::ffff:1.2.3.4} checked as {@code "ipv6"}, and
 * the IPv6 rule {@code ::ffff:1.2.3.4} blocks {@code 1.2.3.4}. An IPv6 range blocks an IPv4 address
 * only when both of its ends are IPv4-mapped, and an IPv6 subnet blocks an IPv4 address when it
 * contains that address's mapped form (so {@code ::/0} blocks every IPv4 address).
 *
 * <p>Threading: every method is safe from any thread. Rules are kept in an immutable snapshot that
 * is replaced on each change, so {@link #check(String)} takes no lock and sees every rule whose
 * {@code add} call returned before it started.
 *
 * @since 0.1.0
 */
public final class BlockList {
  private static final Rule[] NO_RULES = new Rule[0];

  private final Object lock = new Object();

  /** Newest rule first, as Node lists them; replaced, never modified, under {@link #lock}. */
  private volatile Rule[] rules = NO_RULES;

  /** Creates an empty block list, like Node's {@code new net.BlockList()}. */
  public BlockList() {}

  /**
   * Adds a rule that blocks one IPv4 address, like Node's {@code blockList.addAddress(address)}.
   *
   * @param address an IPv4 literal, such as {@code "1.2.3.4"}
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if {@code address} is null; {@code
   *     ERR_INVALID_ADDRESS} if it is not an IPv4 literal
   */
  public void addAddress(String address) {
    addAddress(address, "ipv4");
  }

  /**
   * Adds a rule that blocks one address, like Node's {@code blockList.addAddress(address, family)}.
   *
   * @param address an IP literal of {@code family}
   * @param family {@code "ipv4"} or {@code "ipv6"}, in any ASCII case
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if an argument is null; {@code
   *     ERR_INVALID_ARG_VALUE} if {@code family} is neither family; {@code ERR_INVALID_ADDRESS} if
   *     {@code address} is not a literal of that family
   */
  public void addAddress(String address, String family) {
    requireString(address, "address");
    requireString(family, "family");
    add(new AddressRule(parseOrThrow(address, family)));
  }

  /**
   * Adds a rule that blocks an inclusive range of IPv4 addresses, like Node's {@code
   * blockList.addRange(start, end)}.
   *
   * @param start the first IPv4 address blocked
   * @param end the last IPv4 address blocked, not before {@code start}
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if an argument is null; {@code
   *     ERR_INVALID_ADDRESS} if one is not an IPv4 literal; {@code ERR_INVALID_ARG_VALUE} if {@code
   *     start} comes after {@code end}
   */
  public void addRange(String start, String end) {
    addRange(start, end, "ipv4");
  }

  /**
   * Adds a rule that blocks an inclusive range of addresses, like Node's {@code
   * blockList.addRange(start, end, family)}.
   *
   * @param start the first address blocked, a literal of {@code family}
   * @param end the last address blocked, a literal of {@code family} not before {@code start}
   * @param family {@code "ipv4"} or {@code "ipv6"}, in any ASCII case
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if an argument is null; {@code
   *     ERR_INVALID_ARG_VALUE} if {@code family} is neither family or {@code start} comes after
   *     {@code end}; {@code ERR_INVALID_ADDRESS} if an address is not a literal of that family
   */
  public void addRange(String start, String end, String family) {
    // Node validates and parses start completely before it looks at end.
    requireString(start, "start");
    requireString(family, "family");
    Ip first = parseOrThrow(start, family);
    requireString(end, "end");
    Ip last = parseOrThrow(end, family);
    if (first.compareBits(last) > 0) {
      throw NodeErrors.invalidArgValue(
          "start", inspectSocketAddress(first), "must come before end");
    }
    add(new RangeRule(first, last));
  }

  /**
   * Adds a rule that blocks an IPv4 subnet, like Node's {@code blockList.addSubnet(network,
   * prefix)}.
   *
   * @param network an IPv4 literal; its bits past {@code prefix} are ignored
   * @param prefix the number of leading bits that must match, 0 to 32
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if {@code network} is null; {@code
   *     ERR_INVALID_ADDRESS} if it is not an IPv4 literal; {@code ERR_OUT_OF_RANGE} if {@code
   *     prefix} is outside 0 to 32
   */
  public void addSubnet(String network, int prefix) {
    addSubnet(network, prefix, "ipv4");
  }

  /**
   * Adds a rule that blocks a subnet, like Node's {@code blockList.addSubnet(network, prefix,
   * family)}.
   *
   * @param network a literal of {@code family}; its bits past {@code prefix} are ignored
   * @param prefix the number of leading bits that must match, 0 to 32 for IPv4, 0 to 128 for IPv6
   * @param family {@code "ipv4"} or {@code "ipv6"}, in any ASCII case
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if an argument is null; {@code
   *     ERR_INVALID_ARG_VALUE} if {@code family} is neither family; {@code ERR_INVALID_ADDRESS} if
   *     {@code network} is not a literal of that family; {@code ERR_OUT_OF_RANGE} if {@code prefix}
   *     is out of range
   */
  public void addSubnet(String network, int prefix, String family) {
    requireString(network, "network");
    requireString(family, "family");
    Ip ip = parseOrThrow(network, family);
    int max = ip.v4() ? 32 : 128;
    if (prefix < 0 || prefix > max) {
      throw NodeErrors.outOfRange("prefix", ">= 0 && <= " + max, String.valueOf(prefix));
    }
    add(SubnetRule.of(ip, prefix));
  }

  /**
   * Returns whether a rule blocks an IPv4 address, like Node's {@code blockList.check(address)}.
   *
   * @param address the address to check
   * @return true if a rule blocks it; false if none does or, as in Node, if {@code address} is not
   *     an IPv4 literal
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if {@code address} is null
   */
  public boolean check(String address) {
    return check(address, "ipv4");
  }

  /**
   * Returns whether a rule blocks an address, like Node's {@code blockList.check(address, family)}.
   *
   * @param address the address to check, a literal of {@code family}
   * @param family {@code "ipv4"} or {@code "ipv6"}, in any ASCII case
   * @return true if a rule blocks it; false if none does or, as in Node, if {@code family} is
   *     neither family or {@code address} is not a literal of that family
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if an argument is null
   */
  public boolean check(String address, String family) {
    requireString(address, "address");
    requireString(family, "family");
    Rule[] current = rules;
    if (current.length == 0) {
      return false;
    }
    int fam = family(family);
    if (fam == 0) {
      return false; // Node swallows the bad-family error in check() and returns false.
    }
    Ip ip = LibuvIp.parse(address, fam == 4);
    return ip != null && matches(current, ip);
  }

  /**
   * Returns whether a rule blocks an address, as {@link #check(String, String)} does for its
   * literal: an {@link Inet4Address} is checked as {@code "ipv4"}, any other address as {@code
   * "ipv6"}. It parses nothing and never uses DNS.
   *
   * @param address the address to check; its host name and IPv6 scope are ignored
   * @return true if a rule blocks it
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if {@code address} is null
   */
  public boolean check(InetAddress address) {
    if (address == null) {
      throw instanceTypeError();
    }
    return checkAs(address, address instanceof Inet4Address);
  }

  /**
   * Returns whether a rule blocks an address checked as {@code family}, as {@link #check(String,
   * String)} does for its literal.
   *
   * <p>A {@code udp6} socket should check its peers with {@code "ipv6"}: Node reports an IPv4 peer
   * of a dual-stack socket as {@code ::ffff:a.b.c.d}, family IPv6, and checks it so, whereas Java
   * gives an {@link Inet4Address}. The two checks differ only for IPv6 ranges whose ends are not
   * both IPv4-mapped. An IPv6 address checked as {@code "ipv4"} is never blocked, as in Node.
   *
   * @param address the address to check; its host name and IPv6 scope are ignored
   * @param family {@code "ipv4"} or {@code "ipv6"}, in any ASCII case
   * @return true if a rule blocks it; false if none does or {@code family} is neither family
   * @throws DgramException {@code ERR_INVALID_ARG_TYPE} if an argument is null
   */
  public boolean check(InetAddress address, String family) {
    if (address == null) {
      throw instanceTypeError();
    }
    requireString(family, "family");
    int fam = family(family);
    boolean isV4 = address instanceof Inet4Address;
    if (fam == 0 || (fam == 4 && !isV4)) {
      return false;
    }
    return checkAs(address, fam == 4);
  }

  /**
   * Returns the rules, newest first, as Node's {@code blockList.rules} does: {@code "Address: IPv4
   * 1.2.3.4"}, {@code "Range: IPv6 ::1-::ff"}, {@code "Subnet: IPv4 10.0.0.0/8"}, with addresses in
   * libuv's canonical text.
   *
   * @return an unmodifiable snapshot
   */
  public List<String> rules() {
    Rule[] current = rules;
    List<String> texts = new ArrayList<>(current.length);
    for (Rule rule : current) {
      texts.add(rule.text());
    }
    return Collections.unmodifiableList(texts);
  }

  @Override
  public String toString() {
    return "BlockList " + rules();
  }

  private void add(Rule rule) {
    synchronized (lock) {
      Rule[] current = rules;
      Rule[] next = new Rule[current.length + 1];
      next[0] = rule;
      System.arraycopy(current, 0, next, 1, current.length);
      rules = next;
    }
  }

  /** Checks an address; {@code asV4} is false to check an IPv4 address in its mapped form. */
  private boolean checkAs(InetAddress address, boolean asV4) {
    Rule[] current = rules;
    return current.length > 0 && matches(current, Ip.of(address, asV4));
  }

  private static boolean matches(Rule[] current, Ip ip) {
    for (Rule rule : current) {
      if (rule.blocks(ip)) {
        return true;
      }
    }
    return false;
  }

  private static void requireString(String value, String name) {
    if (value == null) {
      throw NodeErrors.invalidArgTypeNull(name, "of type string");
    }
  }

  private static DgramException instanceTypeError() {
    return NodeErrors.invalidArgTypeNull("address", "an instance of InetAddress");
  }

  /**
   * Returns 4 or 6 for a family name, else 0. Node lower-cases with {@code toLowerCase()}, and only
   * ASCII letters lower-case to "ipv", so this ASCII test is exact ({@code equalsIgnoreCase} is
   * not: it accepts a dotless {@code ı}, which Node rejects).
   */
  private static int family(String family) {
    if (family.length() != 4) {
      return 0;
    }
    char i = family.charAt(0);
    char p = family.charAt(1);
    char v = family.charAt(2);
    char n = family.charAt(3);
    if ((i != 'i' && i != 'I') || (p != 'p' && p != 'P') || (v != 'v' && v != 'V')) {
      return 0;
    }
    return n == '4' ? 4 : n == '6' ? 6 : 0;
  }

  /** Parses as Node's {@code new SocketAddress({address, family})} does, throwing its errors. */
  private static Ip parseOrThrow(String address, String family) {
    int fam = family(family);
    if (fam == 0) {
      throw NodeErrors.invalidArgValue("options.family", inspect(family), "is invalid");
    }
    Ip ip = LibuvIp.parse(address, fam == 4);
    if (ip == null) {
      throw NodeErrors.invalidAddress();
    }
    return ip;
  }

  // ---- Rule text and error text. ----

  private static String text(Ip ip) {
    return (ip.v4() ? "IPv4 " : "IPv6 ") + ip.format();
  }

  /**
   * Node's {@code inspect(socketAddress)}, as its reversed-range error prints the start. The object
   * goes on one line only while it fits util.inspect's 80 columns, that is while the address has at
   * most 17 characters.
   */
  private static String inspectSocketAddress(Ip ip) {
    String address = ip.format();
    String family = ip.v4() ? "ipv4" : "ipv6";
    if (address.length() <= 17) {
      return "SocketAddress { address: '"
          + address
          + "', port: 0, family: '"
          + family
          + "', flowlabel: 0 }";
    }
    return "SocketAddress {\n  address: '"
        + address
        + "',\n  port: 0,\n  family: '"
        + family
        + "',\n  flowlabel: 0\n}";
  }

  /**
   * One rule. Addresses are in 128-bit form (IPv4 as {@code ::ffff:a.b.c.d}), where Node's
   * mixed-family comparisons (node_sockaddr.cc) are plain 128-bit ones, with one exception: an IPv4
   * address is not comparable with an IPv6 range end that is not IPv4-mapped.
   */
  private sealed interface Rule {
    /** Whether the rule blocks {@code ip}, which says whether it is checked as IPv4. */
    boolean blocks(Ip ip);

    /** Node's text of the rule, as {@code blockList.rules} lists it. */
    String text();
  }

  /** Node's {@code addAddress}: one address. */
  private record AddressRule(Ip address) implements Rule {
    @Override
    public boolean blocks(Ip ip) {
      return ip.hi() == address.hi() && ip.lo() == address.lo();
    }

    @Override
    public String text() {
      return "Address: " + BlockList.text(address);
    }
  }

  /** Node's {@code addRange}: {@code start} to {@code end}, both included. */
  private record RangeRule(Ip start, Ip end) implements Rule {
    @Override
    public boolean blocks(Ip ip) {
      boolean comparable = !ip.v4() || start.v4() || (start.isMapped() && end.isMapped());
      return comparable && ip.compareBits(start) >= 0 && ip.compareBits(end) <= 0;
    }

    @Override
    public String text() {
      return "Range: " + BlockList.text(start) + "-" + end.format();
    }
  }

  /**
   * Node's {@code addSubnet}: the addresses whose first {@code prefix} bits are {@code network}'s.
   * The masks are of the 128-bit form, where an IPv4 /p is an IPv6 /(96 + p).
   */
  private record SubnetRule(Ip network, int prefix, long maskHi, long maskLo) implements Rule {
    static SubnetRule of(Ip network, int prefix) {
      int bits = network.v4() ? 96 + prefix : prefix;
      // Java masks shift counts to 6 bits, so the 0- and 64-bit cases are spelled out.
      long maskHi = bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
      long maskLo = bits <= 64 ? 0 : -1L << (128 - bits);
      return new SubnetRule(network, prefix, maskHi, maskLo);
    }

    @Override
    public boolean blocks(Ip ip) {
      return (ip.hi() & maskHi) == (network.hi() & maskHi)
          && (ip.lo() & maskLo) == (network.lo() & maskLo);
    }

    @Override
    public String text() {
      return "Subnet: " + BlockList.text(network) + "/" + prefix;
    }
  }
}
