package dev.jdgram.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What Netty's two Linux-native transports, epoll and io_uring, share: a socket option that Netty
 * has no name for is set with a raw setsockopt call, with the same level, name and struct that
 * libuv uses, so errors (EINVAL, EADDRINUSE, EADDRNOTAVAIL...) are the kernel's own, exactly as
 * Node reports them; descriptors are adopted, zero-length datagrams sent and sk_drops read through
 * Netty's unix {@link Socket}. Both transports' channels take Netty's {@code
 * IntegerUnixChannelOption} and {@code RawUnixChannelOption}; a subclass makes and wraps channels
 * and says how they read.
 */
abstract class NativeTransport extends Transport {
  // Linux <sys/socket.h>, <netinet/in.h> and <linux/in6.h> constants.
  private static final int SOL_SOCKET = 1;
  private static final int SO_TYPE = 3;
  private static final int SO_REUSEPORT = 15;
  private static final int SO_DOMAIN = 39;
  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_STREAM = 1;
  private static final int IPPROTO_IP = 0;
  private static final int IPPROTO_IPV6 = 41;
  private static final int AF_INET6 = 10;

  private static final IntegerUnixChannelOption REUSE_PORT =
      new IntegerUnixChannelOption("SO_REUSEPORT", SOL_SOCKET, SO_REUSEPORT);
  private static final IntegerUnixChannelOption IP_TTL =
      new IntegerUnixChannelOption("IP_TTL", IPPROTO_IP, 2);
  private static final IntegerUnixChannelOption IPV6_UNICAST_HOPS =
      new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", IPPROTO_IPV6, 16);
  private static final IntegerUnixChannelOption IP_MULTICAST_TTL =
      new IntegerUnixChannelOption("IP_MULTICAST_TTL", IPPROTO_IP, 33);
  private static final IntegerUnixChannelOption IPV6_MULTICAST_HOPS =
      new IntegerUnixChannelOption("IPV6_MULTICAST_HOPS", IPPROTO_IPV6, 18);
  private static final IntegerUnixChannelOption IP_MULTICAST_LOOP =
      new IntegerUnixChannelOption("IP_MULTICAST_LOOP", IPPROTO_IP, 34);
  private static final IntegerUnixChannelOption IPV6_MULTICAST_LOOP =
      new IntegerUnixChannelOption("IPV6_MULTICAST_LOOP", IPPROTO_IPV6, 19);
  private static final IntegerUnixChannelOption IPV6_MULTICAST_IF =
      new IntegerUnixChannelOption("IPV6_MULTICAST_IF", IPPROTO_IPV6, 17);
  private static final IntegerUnixChannelOption IP_MULTICAST_ALL =
      new IntegerUnixChannelOption("IP_MULTICAST_ALL", IPPROTO_IP, 49);
  private static final IntegerUnixChannelOption IPV6_MULTICAST_ALL =
      new IntegerUnixChannelOption("IPV6_MULTICAST_ALL", IPPROTO_IPV6, 29);
  private static final IntegerUnixChannelOption IPV6_V6ONLY =
      new IntegerUnixChannelOption("IPV6_V6ONLY", IPPROTO_IPV6, 26);
  private static final RawUnixChannelOption IP_MULTICAST_IF =
      new RawUnixChannelOption("IP_MULTICAST_IF", IPPROTO_IP, 32, 4);
  // struct ip_mreq { in_addr multiaddr; in_addr interface; }
  private static final RawUnixChannelOption IP_ADD_MEMBERSHIP =
      new RawUnixChannelOption("IP_ADD_MEMBERSHIP", IPPROTO_IP, 35, 8);
  private static final RawUnixChannelOption IP_DROP_MEMBERSHIP =
      new RawUnixChannelOption("IP_DROP_MEMBERSHIP", IPPROTO_IP, 36, 8);
  // struct ip_mreq_source { in_addr multiaddr; in_addr interface; in_addr sourceaddr; }
  private static final RawUnixChannelOption IP_ADD_SOURCE_MEMBERSHIP =
      new RawUnixChannelOption("IP_ADD_SOURCE_MEMBERSHIP", IPPROTO_IP, 39, 12);
  private static final RawUnixChannelOption IP_DROP_SOURCE_MEMBERSHIP =
      new RawUnixChannelOption("IP_DROP_SOURCE_MEMBERSHIP", IPPROTO_IP, 40, 12);
  // struct ipv6_mreq { in6_addr multiaddr; unsigned int interface; }
  private static final RawUnixChannelOption IPV6_ADD_MEMBERSHIP =
      new RawUnixChannelOption("IPV6_ADD_MEMBERSHIP", IPPROTO_IPV6, 20, 20);
  private static final RawUnixChannelOption IPV6_DROP_MEMBERSHIP =
      new RawUnixChannelOption("IPV6_DROP_MEMBERSHIP", IPPROTO_IPV6, 21, 20);
  // struct group_source_req { uint32 interface; (pad to 8) sockaddr_storage group, source; }
  private static final int GROUP_SOURCE_REQ_SIZE = 8 + 128 + 128;
  private static final RawUnixChannelOption MCAST_JOIN_SOURCE_GROUP =
      new RawUnixChannelOption("MCAST_JOIN_SOURCE_GROUP", IPPROTO_IPV6, 46, GROUP_SOURCE_REQ_SIZE);
  private static final RawUnixChannelOption MCAST_LEAVE_SOURCE_GROUP =
      new RawUnixChannelOption("MCAST_LEAVE_SOURCE_GROUP", IPPROTO_IPV6, 47, GROUP_SOURCE_REQ_SIZE);

  private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

  /**
   * Wraps a descriptor that {@link #adopt} has checked is a UDP socket.
   *
   * @throws ChannelException if Netty cannot wrap it
   */
  abstract DatagramChannel wrap(int fd);

  /**
   * Adopts any bound UDP descriptor, as libuv's {@code uv_udp_open} does, whatever its family (a
   * udp4 socket may adopt an AF_INET6 one) and whoever made it. Failures are Node's: a descriptor
   * that is not a UDP socket is ERR_INVALID_FD_TYPE, one the kernel refuses is the errno of {@code
   * open}; either way the descriptor stays the caller's.
   */
  @Override
  public final DatagramChannel adopt(int fd) {
    // Look at the descriptor through a view that owns nothing: a descriptor jdgram refuses stays
    // open and the caller's, as in Node.
    Socket view;
    int type;
    try {
      view = new Socket(fd); // getsockname(2) already, for the family
      type = view.getIntOpt(SOL_SOCKET, SO_TYPE);
    } catch (IOException | ChannelException e) {
      // Not a socket (ENOTSOCK), or not open at all: Node names such a descriptor by its kind.
      boolean notSocket = ErrorMapping.toErrno(e) == Errno.ENOTSOCK;
      throw NodeErrors.invalidFdType(notSocket ? "FILE" : "UNKNOWN");
    }
    if (type != SOCK_DGRAM) {
      throw NodeErrors.invalidFdType(type == SOCK_STREAM ? "TCP" : "UNKNOWN");
    }
    // Netty sets IP_MULTICAST_ALL on the descriptor it wraps; Node leaves an adopted socket's
    // options alone, so whatever the owner had is put back.
    int multicastAll = intOpt(view, IP_MULTICAST_ALL);
    int multicastAll6 = intOpt(view, IPV6_MULTICAST_ALL);
    boolean inet4 = intOpt(view, SOL_SOCKET, SO_DOMAIN) == AF_INET;
    DatagramChannel ch;
    try {
      ch = wrap(fd);
      restore(ch, IP_MULTICAST_ALL, multicastAll);
      restore(ch, IPV6_MULTICAST_ALL, multicastAll6);
    } catch (ChannelException e) {
      throw NodeErrors.errno(ErrorMapping.toErrno(e), "open", e); // uv_udp_open's error
    }
    if (inet4) {
      ch.attr(INET4_DESCRIPTOR).set(Boolean.TRUE);
    }
    return ch;
  }

  /** An integer option's value, or -1 where the socket's family has no such option. */
  private static int intOpt(Socket s, IntegerUnixChannelOption option) {
    return intOpt(s, option.level(), option.optname());
  }

  private static int intOpt(Socket s, int level, int optname) {
    try {
      return s.getIntOpt(level, optname);
    } catch (IOException | ChannelException e) {
      return -1; // Netty reports EOPNOTSUPP (an IPv6 option on AF_INET) as a ChannelException
    }
  }

  private static void restore(DatagramChannel ch, IntegerUnixChannelOption option, int value) {
    if (value >= 0) {
      ch.config().setOption(option, value);
    }
  }

  /** A view of the channel's own descriptor; never to be closed, the channel owns it. */
  static Socket view(DatagramChannel ch) {
    return new Socket(((UnixChannel) ch).fd().intValue());
  }

  @Override
  public void sendEmpty(DatagramChannel ch, InetSocketAddress dest) throws IOException {
    Socket socket = view(ch);
    if (dest == null) {
      socket.send(EMPTY, 0, 0);
    } else {
      socket.sendTo(EMPTY, 0, 0, dest.getAddress(), dest.getPort());
    }
  }

  /**
   * Linux's sk_drops through getsockopt(SO_MEMINFO): the u32 array {@code sk_meminfo}, whose last
   * entry (SK_MEMINFO_DROPS) counts what the kernel discarded for the socket, mostly datagrams that
   * found its receive buffer full. One system call, made only when stats() asks.
   */
  @Override
  public long kernelDrops(DatagramChannel ch, boolean ipv6) {
    try {
      ByteBuffer info = ch.config().getOption(SO_MEMINFO);
      return info.order(ByteOrder.nativeOrder()).getInt(SK_MEMINFO_DROPS * 4) & 0xffffffffL;
    } catch (ChannelException e) {
      return -1; // closed meanwhile
    }
  }

  private static final int SK_MEMINFO_DROPS = 8;
  private static final RawUnixChannelOption SO_MEMINFO =
      new RawUnixChannelOption("SO_MEMINFO", SOL_SOCKET, 55, 4 * (SK_MEMINFO_DROPS + 1));

  @Override
  DatagramPacket segmented(ByteBuf content, int segmentSize, InetSocketAddress to) {
    return new SegmentedDatagramPacket(content, segmentSize, to);
  }

  @Override
  public void setBindFlags(
      DatagramChannel ch, boolean ipv6, boolean reuseAddr, boolean reusePort, boolean ipv6Only)
      throws IOException {
    if (reuseAddr) {
      set(ch, ChannelOption.SO_REUSEADDR, true);
    }
    if (reusePort) {
      set(ch, REUSE_PORT, 1);
    }
    if (ipv6 && ipv6Only) {
      set(ch, IPV6_V6ONLY, 1);
    }
  }

  @Override
  public void setTtl(DatagramChannel ch, boolean ipv6, int ttl) throws IOException {
    set(ch, ipv6 ? IPV6_UNICAST_HOPS : IP_TTL, ttl);
  }

  @Override
  public void setMulticastTtl(DatagramChannel ch, boolean ipv6, int ttl) throws IOException {
    set(ch, ipv6 ? IPV6_MULTICAST_HOPS : IP_MULTICAST_TTL, ttl);
  }

  @Override
  public void setMulticastLoop(DatagramChannel ch, boolean ipv6, boolean on) throws IOException {
    set(ch, ipv6 ? IPV6_MULTICAST_LOOP : IP_MULTICAST_LOOP, on ? 1 : 0);
  }

  @Override
  public void setMulticastInterface(
      DatagramChannel ch, boolean ipv6, InetAddress v4Interface, int v6Index) throws IOException {
    if (ipv6) {
      set(ch, IPV6_MULTICAST_IF, v6Index);
    } else {
      set(ch, IP_MULTICAST_IF, direct(4).put(v4Interface.getAddress()).flip());
    }
  }

  @Override
  public void membership(
      DatagramChannel ch,
      boolean ipv6,
      boolean join,
      InetAddress group,
      InetAddress source,
      InetAddress v4Interface,
      int v6Index)
      throws IOException {
    if (!ipv6) {
      byte[] iface = v4Interface == null ? new byte[4] : v4Interface.getAddress();
      if (source == null) {
        ByteBuffer mreq = direct(8).put(group.getAddress()).put(iface).flip();
        set(ch, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, mreq);
      } else {
        ByteBuffer mreq =
            direct(12).put(group.getAddress()).put(iface).put(source.getAddress()).flip();
        set(ch, join ? IP_ADD_SOURCE_MEMBERSHIP : IP_DROP_SOURCE_MEMBERSHIP, mreq);
      }
      return;
    }
    if (source == null) {
      ByteBuffer mreq = direct(20).put(v6Bytes(group)).putInt(v6Index).flip();
      set(ch, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, mreq);
    } else {
      ByteBuffer req = direct(GROUP_SOURCE_REQ_SIZE);
      req.putInt(0, v6Index);
      putSockaddrIn6(req, 8, group);
      putSockaddrIn6(req, 8 + 128, source);
      set(ch, join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP, req);
    }
  }

  private static void putSockaddrIn6(ByteBuffer buf, int at, InetAddress address) {
    // struct sockaddr_in6 { sa_family_t family; in_port_t port; uint32 flowinfo; in6_addr; scope }
    buf.putShort(at, (short) AF_INET6);
    byte[] bytes = v6Bytes(address);
    for (int i = 0; i < 16; i++) {
      buf.put(at + 8 + i, bytes[i]);
    }
  }

  /** The 16 bytes of an IPv6 address, mapping an IPv4 one as the kernel expects. */
  private static byte[] v6Bytes(InetAddress address) {
    if (address instanceof Inet6Address) {
      return address.getAddress();
    }
    byte[] v4 = ((Inet4Address) address).getAddress();
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(v4, 0, mapped, 12, 4);
    return mapped;
  }

  /** A zeroed direct buffer in the machine's byte order, as the kernel reads ints. */
  private static ByteBuffer direct(int size) {
    return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
  }

  /** Sets an option and reports the kernel's error as an IOException carrying the errno. */
  private static <T> void set(DatagramChannel ch, ChannelOption<T> option, T value)
      throws IOException {
    try {
      ch.config().setOption(option, value);
    } catch (ChannelException e) {
      if (e.getCause() instanceof IOException) {
        throw (IOException) e.getCause();
      }
      throw e;
    }
  }
}
