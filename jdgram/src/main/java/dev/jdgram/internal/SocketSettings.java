package dev.jdgram.internal;

import dev.jdgram.DgramException;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A socket's options and memberships: Node's setTTL, setBroadcast, setMulticast*, add/drop
 * (source-specific) membership and buffer sizes. Each runs on the caller's thread, straight on the
 * descriptor (setsockopt is thread-safe), and throws Node's error: {@code Not running} when closed,
 * {@code EBADF} when unbound (there is no descriptor yet, as in Node), the kernel's errno
 * otherwise.
 */
public final class SocketSettings {
  private final SocketCore core;
  private final Transport transport;
  private final boolean udp6;

  SocketSettings(SocketCore core, Transport transport, boolean udp6) {
    this.core = core;
    this.transport = transport;
    this.udp6 = udp6;
  }

  private interface SocketCall {
    void run(DatagramChannel ch) throws IOException;
  }

  private void option(String syscall, SocketCall call) {
    core.checkRunning();
    DatagramChannel ch = core.boundChannel(syscall);
    try {
      call.run(ch);
    } catch (DgramException e) {
      throw e;
    } catch (Exception e) {
      throw NodeErrors.errno(ErrorMapping.toErrno(e), syscall, e);
    }
  }

  public void setBroadcast(boolean flag) {
    option("setBroadcast", ch -> ch.config().setOption(ChannelOption.SO_BROADCAST, flag));
  }

  public int setTtl(int ttl) {
    core.checkRunning();
    if (ttl < 1 || ttl > 255) {
      throw NodeErrors.errno(Errno.EINVAL, "setTTL", null);
    }
    option("setTTL", ch -> transport.setTtl(ch, udp6, ttl));
    return ttl;
  }

  public int setMulticastTtl(int ttl) {
    core.checkRunning();
    if (ttl < 0 || ttl > 255) {
      throw NodeErrors.errno(Errno.EINVAL, "setMulticastTTL", null);
    }
    option("setMulticastTTL", ch -> transport.setMulticastTtl(ch, udp6, ttl));
    return ttl;
  }

  public boolean setMulticastLoopback(boolean flag) {
    option("setMulticastLoopback", ch -> transport.setMulticastLoop(ch, udp6, flag));
    return flag;
  }

  public void setMulticastInterface(String iface) {
    String syscall = "setMulticastInterface";
    option(
        syscall,
        ch -> {
          InetAddress ip = Addresses.parseLiteral(iface);
          if (ip == null) {
            throw NodeErrors.errno(Errno.EINVAL, syscall, null);
          }
          if (udp6) {
            // libuv: the scope picks the interface; without one, the system's choice.
            transport.setMulticastInterface(ch, true, null, Addresses.scopeId(ip));
          } else if (!(ip instanceof Inet4Address)) {
            throw NodeErrors.errno(Errno.ENOPROTOOPT, syscall, null);
          } else {
            transport.setMulticastInterface(ch, false, ip, 0);
          }
        });
  }

  /**
   * Joins or leaves a group. On an unbound socket, binds it first (all interfaces, random port), as
   * libuv does; the bind is reported with 'listening' like any other. On a socket whose bind is
   * under way, the call returns at once and the join or leave happens right after the bind, before
   * 'listening'; its failure is then emitted as 'error'.
   */
  public void membership(String syscall, boolean join, String source, String group, String iface) {
    core.checkRunning();
    SocketCall call =
        ch -> {
          InetAddress g = Addresses.parseLiteral(group);
          InetAddress s = source == null ? null : Addresses.parseLiteral(source);
          // An IPv4 group on a dual-stack udp6 socket is fine (libuv tries IPv4 first, and Linux
          // takes IP_ADD_MEMBERSHIP there); an IPv6 group on a udp4 socket is not.
          boolean v6 = g instanceof Inet6Address;
          if (g == null || (source != null && s == null) || (v6 && !udp6)) {
            throw NodeErrors.errno(Errno.EINVAL, syscall, null);
          }
          if (s != null && (s instanceof Inet6Address) != v6) {
            throw NodeErrors.errno(Errno.EINVAL, syscall, null);
          }
          InetAddress v4If = null;
          int v6Index = 0;
          if (iface != null) {
            InetAddress i = Addresses.parseLiteral(iface);
            if (i == null) {
              throw NodeErrors.errno(Errno.EINVAL, syscall, null);
            }
            if (v6) {
              v6Index = Addresses.scopeId(i);
            } else if (i instanceof Inet4Address) {
              v4If = i;
            } else {
              throw NodeErrors.errno(Errno.EINVAL, syscall, null);
            }
          }
          transport.membership(ch, v6, join, g, s, v4If, v6Index);
        };
    // libuv binds an unbound socket first, for joins and drops. A bind under way is not waited
    // for: the call runs right after it, and reports a failure as 'error'.
    Runnable afterBind =
        () -> {
          if (core.isClosed()) {
            return;
          }
          try {
            option(syscall, call);
          } catch (DgramException e) {
            core.events().error(e);
          }
        };
    if (core.bindForMembership(syscall, afterBind)) {
      option(syscall, call);
    }
  }

  public int bufferSize(boolean recv, int size) {
    core.checkRunning();
    if (size < 0) {
      throw NodeErrors.badBufferSize();
    }
    DatagramChannel ch = core.channel();
    if (!core.isBound() || ch == null) {
      throw NodeErrors.bufferSize(Errno.EBADF, recv, null);
    }
    try {
      if (size > 0) {
        transport.setBufferSize(ch, recv, size);
        return size;
      }
      return transport.bufferSize(ch, recv);
    } catch (RuntimeException e) {
      throw NodeErrors.bufferSize(ErrorMapping.toErrno(e), recv, e);
    }
  }
}
