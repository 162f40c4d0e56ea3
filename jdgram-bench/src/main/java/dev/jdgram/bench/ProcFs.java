package dev.jdgram.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What Linux says about a subject: its resident memory and its sockets' receive-buffer drops. */
public final class ProcFs {
  private ProcFs() {}

  /**
   * The sum of the {@code drops} column of /proc/net/udp and /proc/net/udp6 over every socket bound
   * to one of {@code ports}: datagrams the kernel discarded because the socket's receive buffer was
   * full (cumulative since each socket was created).
   *
   * @param ports local ports
   * @return the drops, or -1 where /proc/net is not readable
   */
  public static long drops(Collection<Integer> ports) {
    Set<Integer> wanted = ports instanceof Set ? (Set<Integer>) ports : new HashSet<>(ports);
    long sum = 0;
    boolean any = false;
    for (String file : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file));
      } catch (IOException e) {
        continue;
      }
      any = true;
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length < 13) {
          continue;
        }
        String local = f[1];
        int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
        if (wanted.contains(port)) {
          sum += Long.parseLong(f[f.length - 1]);
        }
      }
    }
    return any ? sum : -1;
  }

  /**
   * A process's resident set size (VmRSS of /proc/PID/status).
   *
   * @param pid the process
   * @return kibibytes, or -1 if the process is gone or the file unreadable
   */
  public static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
