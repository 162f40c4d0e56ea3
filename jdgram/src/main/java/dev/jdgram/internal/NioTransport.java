package dev.jdgram.internal;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.spi.SelectorProvider;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

/**
 * Java NIO, the portable fallback. The JDK offers no unicast TTL, no IPV6_V6ONLY, no fd adoption
 * and no way back to the system's multicast interface; those fail with ENOTSUP here. Memberships go
 * through the JDK's MembershipKey, which needs an interface, so "the system's choice" becomes the
 * first multicast-capable interface that is up.
 */
final class NioTransport extends Transport {
  /** The memberships of a channel, to report double joins and unknown drops as the kernel does. */
  private static final AttributeKey<Map<String, Joined>> MEMBERSHIPS =
      AttributeKey.valueOf("dev.jdgram.memberships");

  /** The JDK channel under Netty's, kept for the zero-length datagrams Netty will not send. */
  private static final AttributeKey<java.nio.channels.DatagramChannel> JDK_CHANNEL =
      AttributeKey.valueOf("dev.jdgram.jdkChannel");

  private static final boolean LINUX =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");

  @Override
  public String name() {
    return "nio";
  }

  @Override
  IoHandlerFactory ioHandlerFactory() {
    return NioIoHandler.newFactory();
  }

  @Override
  public DatagramChannel newChannel(boolean ipv6) {
    java.nio.channels.DatagramChannel jdk;
    try {
      jdk =
          SelectorProvider.provider()
              .openDatagramChannel(
                  ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    } catch (IOException e) {
      throw new ChannelException(e);
    }
    NioDatagramChannel ch = new NioDatagramChannel(jdk);
    ch.attr(JDK_CHANNEL).set(jdk);
    return ch;
  }

  /**
   * The JDK closes a channel registered with a selector only when the selector next deregisters it,
   * after the task that closed it; until then the port stays taken. Waits for that (a few loop
   * turns, bounded) before {@code then}.
   */
  @Override
  public void whenReleased(DatagramChannel ch, Runnable then) {
    java.nio.channels.DatagramChannel jdk = ch.attr(JDK_CHANNEL).get();
    awaitDeregistered(ch, jdk, then, 200);
  }

  private static void awaitDeregistered(
      DatagramChannel ch, java.nio.channels.DatagramChannel jdk, Runnable then, int triesLeft) {
    if (jdk == null || !jdk.isRegistered() || triesLeft == 0) {
      then.run();
      return;
    }
    // A scheduled task runs after the loop's next select, which is where the JDK deregisters.
    ch.eventLoop()
        .schedule(
            () -> awaitDeregistered(ch, jdk, then, triesLeft - 1),
            1,
            java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void sendEmpty(DatagramChannel ch, InetSocketAddress dest) throws IOException {
    java.nio.channels.DatagramChannel jdk = ch.attr(JDK_CHANNEL).get();
    ByteBuffer empty = ByteBuffer.allocate(0);
    if (dest == null) {
      jdk.write(empty);
    } else {
      jdk.send(empty, dest);
    }
  }

  /**
   * Linux's sk_drops from the {@code drops} column of /proc/net/udp (or udp6), for the one socket
   * bound to this channel's port; -1 if none or several are (a port shared with reusePort), or
   * outside Linux. The JDK does not give the descriptor, so the port finds the socket.
   */
  @Override
  public long kernelDrops(DatagramChannel ch, boolean ipv6) {
    java.net.SocketAddress local = ch.localAddress();
    if (!LINUX || !(local instanceof InetSocketAddress)) {
      return -1;
    }
    return ProcNetUdp.drops(((InetSocketAddress) local).getPort(), ipv6);
  }

  @Override
  public DatagramChannel adopt(int fd) {
    throw NodeErrors.errno(Errno.ENOTSUP, "open", null);
  }

  @Override
  public void setBindFlags(
      DatagramChannel ch, boolean ipv6, boolean reuseAddr, boolean reusePort, boolean ipv6Only)
      throws IOException {
    if (reuseAddr) {
      ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
    }
    if (reusePort) {
      ch.config().setOption(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
    }
    if (ipv6 && ipv6Only) {
      throw Errno.ENOTSUP.failure("IPV6_V6ONLY needs the epoll transport");
    }
  }

  @Override
  public void setTtl(DatagramChannel ch, boolean ipv6, int ttl) throws IOException {
    throw Errno.ENOTSUP.failure("unicast TTL needs the epoll transport");
  }

  @Override
  public void setMulticastTtl(DatagramChannel ch, boolean ipv6, int ttl) {
    ch.config().setOption(ChannelOption.IP_MULTICAST_TTL, ttl);
  }

  @Override
  public void setMulticastLoop(DatagramChannel ch, boolean ipv6, boolean on) {
    // Not ChannelOption.IP_MULTICAST_LOOP_DISABLED: Netty's NIO config passes it to the JDK's
    // IP_MULTICAST_LOOP unnegated, so it would set the opposite.
    ch.config().setOption(NioChannelOption.of(StandardSocketOptions.IP_MULTICAST_LOOP), on);
  }

  @Override
  public int bufferSize(DatagramChannel ch, boolean recv) {
    int size = super.bufferSize(ch, recv);
    // The JDK halves what Linux reports (undoing the kernel's doubling); Node shows the kernel's.
    return LINUX ? size * 2 : size;
  }

  @Override
  public void setMulticastInterface(
      DatagramChannel ch, boolean ipv6, InetAddress v4Interface, int v6Index) throws IOException {
    NetworkInterface ni;
    if (ipv6) {
      if (v6Index == 0) {
        throw Errno.ENOTSUP.failure("resetting the interface needs epoll");
      }
      ni = NetworkInterface.getByIndex(v6Index);
    } else {
      if (v4Interface.isAnyLocalAddress()) {
        throw Errno.ENOTSUP.failure("resetting the interface needs epoll");
      }
      ni = NetworkInterface.getByInetAddress(v4Interface);
    }
    if (ni == null) {
      throw Errno.EADDRNOTAVAIL.failure("no interface has that address");
    }
    ch.config().setOption(ChannelOption.IP_MULTICAST_IF, ni);
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
    Map<String, Joined> joined = memberships(ch);
    String src = source == null ? "" : source.getHostAddress();
    NetworkInterface ni;
    if (ipv6) {
      ni = v6Index == 0 ? defaultInterface(group, true) : NetworkInterface.getByIndex(v6Index);
    } else {
      ni =
          v4Interface == null
              ? defaultInterface(group, false)
              : NetworkInterface.getByInetAddress(v4Interface);
    }
    if (!join) {
      // The kernel finds a membership to leave by the interface's address (IPv4) or by the group
      // alone when given no index (IPv6), even once the device is gone; the JDK needs the
      // interface object it joined with, so take that from the join.
      Joined same = joinedWith(joined, group, src, ipv6, v4Interface, v6Index);
      if (same != null) {
        ni = same.ni();
      }
    }
    if (ni == null) {
      // As the kernel answers a join or leave on an interface that no device has.
      throw Errno.ENODEV.failure("no interface");
    }
    String groupKey = group.getHostAddress() + "|" + ni.getIndex();
    String key = groupKey + "|" + src;
    synchronized (joined) {
      // The kernel's answers: a second any-source join is EADDRINUSE, a second source-specific
      // join EADDRNOTAVAIL; leaving a group never joined is EADDRNOTAVAIL for any-source and
      // EINVAL for source-specific, and a joined group with another source EADDRNOTAVAIL.
      if (join && joined.containsKey(key)) {
        throw (source == null ? Errno.EADDRINUSE : Errno.EADDRNOTAVAIL).failure("joined already");
      }
      if (!join && !joined.containsKey(key)) {
        boolean groupJoined = joined.keySet().stream().anyMatch(k -> k.startsWith(groupKey + "|"));
        throw (source != null && !groupJoined ? Errno.EINVAL : Errno.EADDRNOTAVAIL)
            .failure("not joined");
      }
      ChannelFuture f = join ? ch.joinGroup(group, ni, source) : ch.leaveGroup(group, ni, source);
      f.awaitUninterruptibly();
      if (f.cause() instanceof IllegalArgumentException) {
        // The JDK checks the group and source itself (not multicast, a wildcard or multicast
        // source, mixed families) and refuses with IllegalArgumentException what the kernel
        // refuses with EINVAL.
        throw Errno.EINVAL.failure("refused by the JDK", f.cause());
      }
      f.syncUninterruptibly();
      if (join) {
        joined.put(key, new Joined(group, src, ni, v4Interface));
      } else {
        joined.remove(key);
      }
    }
  }

  /** A membership as joined: the JDK leaves it only with the same interface object. */
  private record Joined(InetAddress group, String source, NetworkInterface ni, InetAddress v4) {}

  /** The membership a leave names, matched as the kernel matches it; or null. */
  private static Joined joinedWith(
      Map<String, Joined> joined,
      InetAddress group,
      String source,
      boolean ipv6,
      InetAddress v4Interface,
      int v6Index) {
    synchronized (joined) {
      for (Joined j : joined.values()) {
        if (!j.group().equals(group) || !j.source().equals(source)) {
          continue;
        }
        boolean sameInterface =
            ipv6
                ? v6Index == 0 || j.ni().getIndex() == v6Index
                : v4Interface != null && v4Interface.equals(j.v4());
        if (sameInterface) {
          return j;
        }
      }
    }
    return null;
  }

  private static Map<String, Joined> memberships(DatagramChannel ch) {
    Map<String, Joined> map = ch.attr(MEMBERSHIPS).get();
    if (map == null) {
      Map<String, Joined> fresh = Collections.synchronizedMap(new HashMap<>());
      map = ch.attr(MEMBERSHIPS).setIfAbsent(fresh);
      if (map == null) {
        map = fresh;
      }
    }
    return map;
  }

  /**
   * The interface the kernel would join {@code group} on when given none: the one its route to the
   * group leaves by, found by connecting a scratch socket (which sends nothing). Null when there is
   * no route (the kernel's ENODEV). For a group no route names without a scope (ff02:: and the
   * like), the first multicast interface of the family that is up, else the loopback.
   */
  private static NetworkInterface defaultInterface(InetAddress group, boolean ipv6)
      throws SocketException {
    try (java.nio.channels.DatagramChannel probe =
        java.nio.channels.DatagramChannel.open(
            ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
      probe.connect(new InetSocketAddress(group, 9));
      InetAddress local = ((InetSocketAddress) probe.getLocalAddress()).getAddress();
      NetworkInterface ni = NetworkInterface.getByInetAddress(local);
      if (ni != null) {
        return ni;
      }
    } catch (java.io.IOException e) {
      if (ErrorMapping.toErrno(e) == Errno.ENETUNREACH) {
        return null;
      }
    }
    NetworkInterface loopback = null;
    Enumeration<NetworkInterface> all = NetworkInterface.getNetworkInterfaces();
    while (all != null && all.hasMoreElements()) {
      NetworkInterface ni = all.nextElement();
      if (!ni.isUp() || !hasFamily(ni, ipv6)) {
        continue;
      }
      if (ni.isLoopback()) {
        loopback = ni;
      } else if (ni.supportsMulticast()) {
        return ni;
      }
    }
    return loopback;
  }

  private static boolean hasFamily(NetworkInterface ni, boolean ipv6) {
    Enumeration<InetAddress> addresses = ni.getInetAddresses();
    while (addresses.hasMoreElements()) {
      InetAddress a = addresses.nextElement();
      if (ipv6 ? a instanceof Inet6Address : a instanceof Inet4Address) {
        return true;
      }
    }
    return false;
  }
}
