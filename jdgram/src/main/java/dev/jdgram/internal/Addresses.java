package dev.jdgram.internal;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/** IP literals and addresses in Node's text form, without ever asking DNS. */
public final class Addresses {
  public static final String IPV4 = "IPv4";
  public static final String IPV6 = "IPv6";

  private Addresses() {}

  /**
   * Parses an IPv4 or IPv6 literal (an IPv6 one may carry a {@code %zone}, by name or number).
   *
   * @return the address, or null if {@code s} is not an IP literal
   */
  public static InetAddress parseLiteral(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    if (NetUtil.isValidIpV4Address(s)) {
      return toAddress(NetUtil.createByteArrayFromIpAddressString(s), s);
    }
    int percent = s.indexOf('%');
    String bare = percent < 0 ? s : s.substring(0, percent);
    if (!NetUtil.isValidIpV6Address(bare)) {
      return null;
    }
    if (percent < 0) {
      byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
      if (bytes == null) {
        return null;
      }
      try {
        // Inet6Address.getByAddress keeps an IPv4-mapped address as IPv6, as Node does.
        return Inet6Address.getByAddress(null, bytes, -1);
      } catch (UnknownHostException e) {
        return null;
      }
    }
    try {
      // A literal with a zone: the JDK parses it without DNS, resolving the interface name.
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      // An unknown zone name: Node (libuv) then uses scope 0; so do we.
      return toAddress(NetUtil.createByteArrayFromIpAddressString(bare), bare);
    }
  }

  private static InetAddress toAddress(byte[] bytes, String text) {
    if (bytes == null) {
      return null;
    }
    try {
      return bytes.length == 16
          ? Inet6Address.getByAddress(null, bytes, -1)
          : InetAddress.getByAddress(null, bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an address: " + text, e);
    }
  }

  /** The IPv6 scope id (interface index) of an address, or 0. */
  public static int scopeId(InetAddress address) {
    return address instanceof Inet6Address ? Math.max(0, ((Inet6Address) address).getScopeId()) : 0;
  }

  /** Node's family name of an address as a socket of the given type sees it. */
  public static String family(InetAddress address, boolean udp6) {
    return udp6 || address instanceof Inet6Address ? IPV6 : IPV4;
  }

  /**
   * Formats an address as Node does: IPv6 compressed (RFC 5952), an IPv4 address seen by a udp6
   * socket as {@code ::ffff:a.b.c.d}, and a link-local IPv6 address with {@code %interface}.
   */
  public static String format(InetAddress address, boolean udp6) {
    if (address instanceof Inet4Address) {
      String v4 = address.getHostAddress();
      return udp6 ? "::ffff:" + v4 : v4;
    }
    String text = NetUtil.toAddressString(address, true);
    Inet6Address v6 = (Inet6Address) address;
    if (v6.isLinkLocalAddress() && v6.getScopeId() > 0) {
      return text + "%" + interfaceName(v6);
    }
    return text;
  }

  private static String interfaceName(Inet6Address v6) {
    NetworkInterface ni = v6.getScopedInterface();
    if (ni == null) {
      try {
        ni = NetworkInterface.getByIndex(v6.getScopeId());
      } catch (SocketException e) {
        ni = null;
      }
    }
    return ni != null ? ni.getName() : Integer.toString(v6.getScopeId());
  }

  /** Node's {@code address || '127.0.0.1'} (or {@code '::1'}): null and "" mean loopback. */
  static String destination(String address, boolean udp6) {
    return address == null || address.isEmpty() ? (udp6 ? "::1" : "127.0.0.1") : address;
  }

  /**
   * Returns whether a resolved address can be used by a socket of the given type, as libuv's {@code
   * uv_ip4_addr}/{@code uv_ip6_addr} decide: udp4 takes IPv4 only; udp6 takes IPv6, including
   * IPv4-mapped IPv6.
   */
  public static boolean fitsFamily(InetAddress address, boolean udp6) {
    return udp6 ? address instanceof Inet6Address : address instanceof Inet4Address;
  }
}
