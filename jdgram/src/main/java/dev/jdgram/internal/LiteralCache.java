package dev.jdgram.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The last literal destination a socket sent to, so a stream of sends to one {@code "host", port}
 * parses the address once and shares one {@link InetSocketAddress}. Used only with the default
 * lookup, which turns a literal into its address without asking anyone. Any thread.
 */
final class LiteralCache {
  private record Entry(String host, int port, InetSocketAddress address) {}

  private volatile Entry last;

  /** The destination of a literal host, parsed once per change of destination; null if a name. */
  InetSocketAddress destination(String host, int port) {
    Entry e = last;
    if (e != null && e.port == port && e.host.equals(host)) {
      return e.address;
    }
    InetAddress ip = Addresses.parseLiteral(host);
    if (ip == null) {
      return null;
    }
    InetSocketAddress a = new InetSocketAddress(ip, port);
    last = new Entry(host, port, a);
    return a;
  }
}
