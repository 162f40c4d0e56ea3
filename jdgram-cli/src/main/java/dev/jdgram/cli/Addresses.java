package dev.jdgram.cli;

/** How the command line's addresses choose the socket type and appear in messages. */
final class Addresses {
  private Addresses() {}

  /**
   * Returns the socket type for an address given on the command line: {@code "udp6"} for an IPv6
   * literal (only those contain a colon), else {@code "udp4"}, as host names resolve to IPv4.
   */
  static String socketType(String address) {
    return address.indexOf(':') >= 0 ? "udp6" : "udp4";
  }

  /**
   * Formats an address and port for an error message, bracketing IPv6 literals: {@code [::1]:9}.
   */
  static String hostPort(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }
}
