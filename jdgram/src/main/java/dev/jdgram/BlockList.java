package dev.jdgram;

import static dev.jdgram.internal.LibuvIp.MAPPED_PREFIX;
import static dev.jdgram.internal.LibuvIp.format;
import static dev.jdgram.internal.LibuvIp.parse;
import static dev.jdgram.internal.NodeInspect.inspect;

import dev.jdgram.internal.LibuvIp.Ip;
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
    Ip ip = parseOrThrow(address, family);
    add(new Rule(Rule.ADDRESS, ip.v4, ip.hi, ip.lo, ip.hi, ip.lo, 128, "Address: " + text(ip)));
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
    if (compareUnsigned128(first.hi, first.lo, last.hi, last.lo) > 0) {
      throw new DgramException(
          "ERR_INVALID_ARG_VALUE",
          "The argument 'start' must come before end. Received " + inspectSocketAddress(first));
    }
    add(
        new Rule(
            Rule.RANGE,
            first.v4,
            first.hi,
            first.lo,
            last.hi,
            last.lo,
            128,
            "Range: " + text(first) + "-" + format(last)));
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
    int max = ip.v4 ? 32 : 128;
    if (prefix < 0 || prefix > max) {
      throw new DgramException(
          "ERR_OUT_OF_RANGE",
          "The value of \"prefix\" is out of range. It must be >= 0 && <= "
              + max
              + ". Received "
              + prefix);
    }
    // Rules hold IPv4 addresses in their IPv4-mapped form, where an IPv4 /p is an IPv6 /(96 + p).
    int bits = ip.v4 ? 96 + prefix : prefix;
    add(
        new Rule(
            Rule.SUBNET,
            ip.v4,
            ip.hi,
            ip.lo,
            ip.hi,
            ip.lo,
            bits,
            "Subnet: " + text(ip) + "/" + prefix));
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
    Ip ip = new Ip();
    if (!parse(address, fam == 4, ip)) {
      return false;
    }
    return matches(current, ip.v4, ip.hi, ip.lo);
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
      texts.add(rule.text);
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
    if (current.length == 0) {
      return false;
    }
    byte[] bytes = address.getAddress();
    long hi = 0;
    long lo;
    if (bytes.length == 4) {
      lo = MAPPED_PREFIX << 32 | (readInt(bytes, 0) & 0xffff_ffffL);
    } else {
      hi = (long) readInt(bytes, 0) << 32 | (readInt(bytes, 4) & 0xffff_ffffL);
      lo = (long) readInt(bytes, 8) << 32 | (readInt(bytes, 12) & 0xffff_ffffL);
    }
    return matches(current, asV4, hi, lo);
  }

  private static int readInt(byte[] b, int i) {
    return (b[i] & 0xff) << 24
        | (b[i + 1] & 0xff) << 16
        | (b[i + 2] & 0xff) << 8
        | (b[i + 3] & 0xff);
  }

  /**
   * Applies the rules to an address in 128-bit form (IPv4 as {@code ::ffff:a.b.c.d}). In that form
   * Node's mixed-family comparisons (node_sockaddr.cc) are plain 128-bit ones, with one exception:
   * an IPv4 address is not comparable with an IPv6 range end that is not IPv4-mapped.
   */
  private static boolean matches(Rule[] current, boolean isV4, long hi, long lo) {
    for (Rule rule : current) {
      switch (rule.kind) {
        case Rule.ADDRESS:
          if (hi == rule.hi && lo == rule.lo) {
            return true;
          }
          break;
        case Rule.SUBNET:
          if ((hi & rule.maskHi) == rule.netHi && (lo & rule.maskLo) == rule.netLo) {
            return true;
          }
          break;
        default: // Rule.RANGE
          if ((!isV4 || rule.v4 || rule.endsMapped)
              && compareUnsigned128(hi, lo, rule.hi, rule.lo) >= 0
              && compareUnsigned128(hi, lo, rule.endHi, rule.endLo) <= 0) {
            return true;
          }
          break;
      }
    }
    return false;
  }

  private static int compareUnsigned128(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  private static boolean isMapped(long hi, long lo) {
    return hi == 0 && lo >>> 32 == MAPPED_PREFIX;
  }

  private static void requireString(String value, String name) {
    if (value == null) {
      throw new DgramException(
          "ERR_INVALID_ARG_TYPE",
          "The \"" + name + "\" argument must be of type string. Received null");
    }
  }

  private static DgramException instanceTypeError() {
    return new DgramException(
        "ERR_INVALID_ARG_TYPE",
        "The \"address\" argument must be an instance of InetAddress. Received null");
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
      throw new DgramException(
          "ERR_INVALID_ARG_VALUE",
          "The property 'options.family' is invalid. Received " + inspect(family));
    }
    Ip ip = new Ip();
    if (!parse(address, fam == 4, ip)) {
      throw new DgramException("ERR_INVALID_ADDRESS", "Invalid socket address");
    }
    return ip;
  }

  // ---- Rule text and error text. ----

  private static String text(Ip ip) {
    return (ip.v4 ? "IPv4 " : "IPv6 ") + format(ip);
  }

  /**
   * Node's {@code inspect(socketAddress)}, as its reversed-range error prints the start. The object
   * goes on one line only while it fits util.inspect's 80 columns, that is while the address has at
   * most 17 characters.
   */
  private static String inspectSocketAddress(Ip ip) {
    String address = format(ip);
    String family = ip.v4 ? "ipv4" : "ipv6";
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

  /** One immutable rule; addresses in 128-bit form, subnets with their masks precomputed. */
  private static final class Rule {
    static final int ADDRESS = 0;
    static final int RANGE = 1;
    static final int SUBNET = 2;

    final int kind;
    final boolean v4;
    final long hi;
    final long lo;
    final long endHi;
    final long endLo;
    final boolean endsMapped;
    final long maskHi;
    final long maskLo;
    final long netHi;
    final long netLo;
    final String text;

    Rule(int kind, boolean v4, long hi, long lo, long endHi, long endLo, int bits, String text) {
      this.kind = kind;
      this.v4 = v4;
      this.hi = hi;
      this.lo = lo;
      this.endHi = endHi;
      this.endLo = endLo;
      this.endsMapped = isMapped(hi, lo) && isMapped(endHi, endLo);
      // Java masks shift counts to 6 bits, so the 0- and 64-bit cases are spelled out.
      this.maskHi = bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
      this.maskLo = bits <= 64 ? 0 : -1L << (128 - bits);
      this.netHi = hi & maskHi;
      this.netLo = lo & maskLo;
      this.text = text;
    }
  }
}
