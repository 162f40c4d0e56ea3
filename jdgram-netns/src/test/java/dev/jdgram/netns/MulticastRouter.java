package dev.jdgram.netns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * smcrouted (the smcroute package's static multicast routing daemon) in one namespace of a {@link
 * Netns}. Linux forwards multicast only while a routing daemon holds the kernel's multicast-routing
 * socket and has given it interfaces (VIFs, MIFs for IPv6) and routes; smcrouted does that from a
 * configuration of {@code phyint} and {@code mroute} lines, for IPv4 and IPv6. The kernel forwards
 * a datagram out of an interface only if its TTL (hop limit) exceeds that interface's {@code
 * ttl-threshold} (default 1), and decrements it.
 *
 * <p>The daemon runs in the foreground ({@code -n}) as a child process of this JVM, owned by the
 * network, so that {@link Netns#close} and its shutdown hook kill it if {@link #close} did not run.
 * Its configuration, PID file and control socket live in a directory of the network's, deleted with
 * the network; its identity is the namespace's name. Nothing is shared with another run or with the
 * machine's own smcroute.
 */
final class MulticastRouter implements AutoCloseable {
  private static final long START_MILLIS = 10_000;
  private static final long STOP_MILLIS = 5_000;
  private static final String IPV4_VIFS = "/proc/net/ip_mr_vif";
  private static final String IPV6_MIFS = "/proc/net/ip6_mr_vif";

  private final Process process;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final String what;

  private MulticastRouter(Process process, String what) {
    this.process = process;
    this.what = what;
    Netns.drain(process.getInputStream(), output);
    Netns.drain(process.getErrorStream(), output);
  }

  /**
   * Starts smcrouted in {@code role}'s namespace with {@code config} (smcroute.conf lines; only the
   * interfaces enabled there by {@code phyint IF enable} are used, {@code -N}) and waits (bounded)
   * until it is ready: its PID file exists and the kernel lists every enabled interface as an IPv4
   * VIF and an IPv6 MIF ({@code /proc/net/ip_mr_vif}, {@code ip6_mr_vif} in that namespace).
   *
   * <p>The PID file alone proves nothing: smcrouted writes it after reading its configuration even
   * when the kernel refused it the multicast-routing socket and it made no interface and skipped
   * every route. Its (*,G) routes, read from the configuration before that, stay in the daemon; the
   * kernel gets an (S,G) entry from it when the first datagram of a group arrives on a VIF, so
   * {@code ip mroute} is empty until then and the interfaces are what the kernel can show.
   */
  static MulticastRouter start(Netns net, String role, List<String> config) {
    Path dir = net.directory("smcroute-" + role);
    Path conf = dir.resolve("smcroute.conf");
    Path pid = dir.resolve("smcroute.pid");
    try {
      Files.write(conf, config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + conf, e);
    }
    List<String> cmd =
        List.of(
            "smcrouted",
            "-n",
            "-N",
            "-f",
            conf.toString(),
            "-i",
            net.ns(role),
            "-u",
            dir.resolve("smcroute.sock").toString(),
            "-P",
            pid.toString(),
            "-l",
            "info");
    MulticastRouter r = new MulticastRouter(net.start(role, cmd), "smcrouted in " + role);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_MILLIS);
    while (!Files.exists(pid)) {
      if (!r.process.isAlive() || System.nanoTime() - deadline > 0) {
        r.close();
        throw new IllegalStateException(
            r.what + " did not start (" + String.join(" ", cmd) + "):\n" + r.output());
      }
      Netns.sleep(25);
    }
    r.awaitInterfaces(net, role, enabled(config), deadline);
    return r;
  }

  /** The interfaces {@code config} enables: {@code phyint NAME enable ...}. */
  private static List<String> enabled(List<String> config) {
    List<String> names = new ArrayList<>();
    for (String line : config) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 3 && words[0].equals("phyint") && words[2].equals("enable")) {
        names.add(words[1]);
      }
    }
    return names;
  }

  private void awaitInterfaces(Netns net, String role, List<String> names, long deadline) {
    while (true) {
      String vifs = net.exec(role, "cat", IPV4_VIFS);
      String mifs = net.exec(role, "cat", IPV6_MIFS);
      if (interfaces(vifs).containsAll(names) && interfaces(mifs).containsAll(names)) {
        return;
      }
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        close();
        throw new IllegalStateException(
            what
                + " did not make "
                + names
                + " multicast interfaces of the kernel within "
                + START_MILLIS
                + " ms.\n"
                + IPV4_VIFS
                + ":\n"
                + vifs
                + IPV6_MIFS
                + ":\n"
                + mifs
                + "smcrouted:\n"
                + output());
      }
      Netns.sleep(25);
    }
  }

  /** The interface names of a VIF or MIF table: a header, then "INDEX NAME counters...". */
  private static Set<String> interfaces(String table) {
    Set<String> names = new HashSet<>();
    for (String line : table.split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 2 && words[0].chars().allMatch(Character::isDigit)) {
        names.add(words[1]);
      }
    }
    return names;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** What the daemon logged so far. */
  String output() {
    synchronized (output) {
      return output.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Stops the daemon: SIGTERM, on which it removes its routes, interfaces, PID file and socket;
   * SIGKILL if it has not exited within {@value #STOP_MILLIS} ms.
   */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return what;
  }
}
