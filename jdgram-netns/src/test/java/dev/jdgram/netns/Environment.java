package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What these tests need from the machine: Linux, root, {@code ip netns}, the peers {@code node},
 * {@code tcpdump} and {@code socat}, and smcroute's {@code smcrouted} (multicast routing in r).
 * Without them the tests fail when the environment variable {@code CI} is {@code true} (CI installs
 * and runs as root, so a gap there is a broken pipeline) and are skipped, with the reason,
 * everywhere else.
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
