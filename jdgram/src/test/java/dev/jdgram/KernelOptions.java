package dev.jdgram;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jdgram.internal.Transports;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads socket options back from the kernel with getsockopt(2), so tests check what a setter really
 * did rather than what it returned. The socket's descriptor is found through /proc: its local port
 * in /proc/net/udp{,6} gives the inode, and the inode names one of /proc/self/fd. Works on both
 * transports (the descriptor is the kernel's either way); getsockopt goes through Netty's native
 * library, which the test class path always has on Linux.
 */
final class KernelOptions {
  static final int SOL_SOCKET = 1;
  static final int SO_TYPE = 3;
  static final int SOCK_DGRAM = 2;
  static final int SO_BROADCAST = 6;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int IPPROTO_IP = 0;
  static final int IP_TTL = 2;
  static final int IP_MULTICAST_IF = 32;
  static final int IP_MULTICAST_TTL = 33;
  static final int IP_MULTICAST_LOOP = 34;
  static final int IPPROTO_IPV6 = 41;
  static final int IPV6_UNICAST_HOPS = 16;
  static final int IPV6_MULTICAST_IF = 17;
  static final int IPV6_MULTICAST_HOPS = 18;
  static final int IPV6_MULTICAST_LOOP = 19;

  private KernelOptions() {}

  /**
   * The transport the sockets of this JVM use: {@code "epoll"}, {@code "io_uring"} or {@code
   * "nio"}.
   */
  static String transport() {
    return Transports.current().name();
  }

  static boolean nio() {
    return "nio".equals(transport());
  }

  /** getsockopt(level, name) as an int, on the socket's own descriptor. */
  static int getInt(DgramSocket s, int level, int name) {
    Epoll.ensureAvailability(); // loads the native library that Socket's methods live in
    try {
      // Not closed: the descriptor belongs to the DgramSocket; this object only borrows it.
      return new Socket(fd(s)).getIntOpt(level, name);
    } catch (IOException e) {
      return fail("getsockopt(" + level + ", " + name + ") failed", e);
    }
  }

  /** getsockopt(IPPROTO_IP, IP_MULTICAST_IF) as a dotted IPv4 address. */
  static String getMulticastIf4(DgramSocket s) {
    Epoll.ensureAvailability();
    ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    try {
      new Socket(fd(s)).getRawOpt(IPPROTO_IP, IP_MULTICAST_IF, b);
    } catch (IOException e) {
      return fail("getsockopt(IP_MULTICAST_IF) failed", e);
    }
    return (b.get(0) & 0xff)
        + "."
        + (b.get(1) & 0xff)
        + "."
        + (b.get(2) & 0xff)
        + "."
        + (b.get(3) & 0xff);
  }

  /**
   * The descriptor of a bound socket, found by asking each socket descriptor of this process for
   * its type and local port (getsockopt/getsockname, which never miss one, unlike a read of
   * /proc/net/udp while other processes open and close sockets).
   */
  static int fd(DgramSocket s) {
    return fdOfPort(s.address().port());
  }

  /** The descriptor of this process's UDP socket bound to {@code port}, found as {@link #fd}. */
  static int fdOfPort(int port) {
    Epoll.ensureAvailability();
    try (var fds = Files.list(Paths.get("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (!Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            continue;
          }
          Socket view = new Socket(Integer.parseInt(fd.getFileName().toString())); // not owned
          if (view.getIntOpt(SOL_SOCKET, SO_TYPE) == SOCK_DGRAM
              && view.localAddress() != null
              && view.localAddress().getPort() == port) {
            return view.intValue();
          }
        } catch (IOException e) {
          // closed while we looked
        }
      }
    } catch (IOException e) {
      return fail("cannot list /proc/self/fd", e);
    }
    return fail("no UDP descriptor of this process is bound to port " + port);
  }
}
