package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * What these tests need from the machine: Linux, root, {@code ip netns}, the peers {@code node},
 * {@code tcpdump} and {@code socat}, and smcroute's {@code smcrouted} (multicast routing in r).
 * Without them the tests fail when the environment variable {@code CI} is {@code true} (CI installs
 * and runs as root, so a gap there is a broken pipeline) and are skipped, with the reason,
 * everywhere else.
 *
 * <p>The scenario that routes multicast through r also needs the kernel's multicast routing ({@link
 * #requireMulticastRouting}). A kernel built without it is a limit of the machine that no install
 * can lift, so that scenario is skipped, with the reason printed, even under CI=true.
 */
final class Environment {
  private static volatile String missing;
  private static volatile boolean checked;

  private Environment() {}

  /** Fails (CI) or aborts (elsewhere) the calling test if the machine lacks what is needed. */
  static void require() {
    if (!checked) {
      synchronized (Environment.class) {
        if (!checked) {
          missing = check();
          checked = true;
        }
      }
    }
    String why = missing;
    if (why != null) {
      String text = "network-namespace tests need " + why;
      if ("true".equals(System.getenv("CI"))) {
        fail(text + " (CI=true, so this is a failure, not a skip)");
      }
      abort(text + "; skipped (set CI=true to make this a failure)");
    }
  }

  /**
   * Aborts the calling test if this kernel cannot route multicast, under CI=true as well, printing
   * the reason to stderr so that the CI log shows it. Linux builds IPv4 and IPv6 multicast routing
   * ({@code CONFIG_IP_MROUTE}, {@code CONFIG_IPV6_MROUTE}) into the kernel or not at all (neither
   * can be a module), and with them every network namespace has {@code /proc/net/ip_mr_vif} and
   * {@code /proc/net/ip6_mr_vif}; without them a routing daemon's {@code MRT_INIT} fails with
   * ENOPROTOOPT and smcrouted runs on, forwarding nothing.
   */
  static void requireMulticastRouting() {
    String why = Routing.MISSING;
    if (why != null) {
      String text =
          "multicast routing scenario skipped: "
              + why
              + " (a limit of the machine's kernel, not a missing package, so a skip even with"
              + " CI=true)";
      System.err.println("jdgram-netns: " + text);
      abort(text);
    }
  }

  /** Checked once, on first use. */
  private static final class Routing {
    static final String MISSING = checkRouting();
  }

  private static String checkRouting() {
    List<String> absent = new ArrayList<>();
    for (String table : new String[] {"ip_mr_vif", "ip6_mr_vif"}) {
      Path p = Path.of("/proc/net", table);
      if (!Files.exists(p)) {
        absent.add(p.toString());
      }
    }
    if (absent.isEmpty()) {
      return null;
    }
    return "kernel "
        + osRelease()
        + " has no multicast routing (no "
        + String.join(", no ", absent)
        + kernelConfig()
        + ")";
  }

  private static String osRelease() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    } catch (IOException e) {
      return System.getProperty("os.version", "?");
    }
  }

  private static final Pattern MROUTE_CONFIG =
      Pattern.compile("^(# )?CONFIG_(IP|IPV6)_MROUTE(=.*| is not set)$");

  /** The kernel's own word on multicast routing, from /proc/config.gz if it has one. */
  private static String kernelConfig() {
    Path config = Path.of("/proc/config.gz");
    if (!Files.isReadable(config)) {
      return "";
    }
    List<String> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(config)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (MROUTE_CONFIG.matcher(line).matches()) {
          lines.add(line.startsWith("# ") ? line.substring(2) : line);
        }
      }
    } catch (IOException e) {
      return "";
    }
    return lines.isEmpty() ? "" : "; " + config + ": " + String.join(", ", lines);
  }

  private static String check() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
      return "Linux";
    }
    try {
      String uid = Netns.run("id", "-u").trim();
      if (!"0".equals(uid)) {
        return "root (running as uid " + uid + ")";
      }
      Netns.run("ip", "netns", "list");
    } catch (RuntimeException e) {
      return "iproute2's ip netns: " + e.getMessage();
    }
    for (String tool : new String[] {"node", "tcpdump", "socat", "smcrouted"}) {
      if (!onPath(tool)) {
        return tool + " on the PATH (apt-get install " + debianPackage(tool) + ")";
      }
    }
    return null;
  }

  /** The Debian package that installs {@code tool}. */
  private static String debianPackage(String tool) {
    return switch (tool) {
      case "node" -> "nodejs";
      case "smcrouted" -> "smcroute";
      default -> tool;
    };
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
