package dev.jdgram.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads Linux's /proc/net/udp and /proc/net/udp6, where each socket of the network namespace has a
 * line: {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout
 * inode ref pointer drops}, the local address as hex {@code ADDR:PORT}.
 */
final class ProcNetUdp {
  private ProcNetUdp() {}

  /** The drops of the one socket bound to {@code port}; -1 if none, several, or no file. */
  static long drops(int port, boolean ipv6) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(ipv6 ? "/proc/net/udp6" : "/proc/net/udp"));
    } catch (IOException e) {
      return -1;
    }
    String suffix = String.format(Locale.ROOT, ":%04X", port);
    long drops = -1;
    int matches = 0;
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 13 && f[1].endsWith(suffix)) {
        matches++;
        drops = Long.parseLong(f[f.length - 1]);
      }
    }
    return matches == 1 ? drops : -1;
  }
}
