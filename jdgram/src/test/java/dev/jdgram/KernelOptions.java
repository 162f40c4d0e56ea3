package dev.jdgram;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jdgram.internal.Transport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads socket options back from the kernel with getsockopt(2), so tests check what a setter really
 * did rather than what it returned. The socket's descriptor is found through /proc: its local port
 * in /proc/net/udp{,6} gives the inode, and the inode names one of /proc/self/fd. Works on both
 * transports (the descriptor is the kernel's either way); getsockopt goes through Netty's native
 * library, which the test class path always has on Linux.
 */
final class KernelOptions {
  static final int SOL_SOCKET = 1;
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

  /** The transport the sockets of this JVM use: {@code "epoll"} or {@code "nio"}. */
  static String transport() {
    return Transport.get().name();
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

  /** The descriptor of a bound socket, found by its local port. */
  static int fd(DgramSocket s) {
    int port = s.address().port();
    String suffix = String.format(Locale.ROOT, ":%04X", port);
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Paths.get(table), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        continue; // no IPv6 on this host
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] cols = line.trim().split("\\s+");
        if (cols.length > 9 && cols[1].endsWith(suffix)) {
          inodes.add("socket:[" + cols[9] + "]");
        }
      }
    }
    try (var fds = Files.list(Paths.get("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
            return Integer.parseInt(fd.getFileName().toString());
          }
        } catch (IOException e) {
          // closed while we looked
        }
      }
    } catch (IOException e) {
      return fail("cannot list /proc/self/fd", e);
    }
    return fail("no descriptor of this process is bound to port " + port + " " + inodes);
  }
}
