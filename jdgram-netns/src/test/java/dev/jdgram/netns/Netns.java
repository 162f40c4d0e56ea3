package dev.jdgram.netns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A network of Linux network namespaces: hosts joined by veth pairs, to a bridge that lives in a
 * namespace of its own or directly to each other, and routers that forward IPv4 and IPv6.
 *
 * <p>Namespaces are named {@code jdn-<pid>-<n>-<role>}, so that parallel runs never collide and a
 * later run can tell which namespaces a dead run left behind (their pid is no longer alive) and
 * delete them. Interface names live inside their namespace ({@code eth0}, {@code eth1}; bridge
 * ports {@code p0}, {@code p1}...), and veth pairs are created directly in their target namespaces,
 * so no name ever appears in the machine's own namespace. Every address is a private one made up
 * for the test (10.77.x.x, fd00:77::/32) and exists only inside these namespaces.
 *
 * <p>IPv6 duplicate address detection is off everywhere (sysctl {@code accept_dad=0} and {@code
 * nodad}), and {@link #build} still waits (bounded) until no address is tentative. Bridges have
 * multicast snooping off, so the hosts' own group filtering is what the tests see. {@link #close}
 * deletes everything (the processes it started, the files it made and the namespaces); a JVM
 * shutdown hook does the same if the test run is cut short.
 */
final class Netns implements AutoCloseable {
  static final String PREFIX = "jdn-";
  private static final Pattern OWNED = Pattern.compile("^" + PREFIX + "(\\d+)-");
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final long COMMAND_SECONDS = 20;

  private final String base;
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> directories = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private Netns() {
    base = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-";
    shutdownHook = new Thread(this::deleteAll, "netns-cleanup-" + base);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The namespace of role {@code role} ("a", "sw1", ...). */
  String ns(String role) {
    String name = namespaces.get(role);
    if (name == null) {
      throw new IllegalArgumentException("no namespace " + role + " in " + namespaces.keySet());
    }
    return name;
  }

  /** Registers a process started in one of the namespaces, so that close destroys it. */
  synchronized void own(Process p) {
    processes.add(p);
  }

  /**
   * A new empty directory {@code <tmp>/jdn-<pid>-<n>-<name>} for files of this network's processes,
   * deleted with its content by {@link #close} (after the processes are gone), or by a later run if
   * this one dies.
   */
  synchronized Path directory(String name) {
    if (closed) {
      throw new IllegalStateException("network closed");
    }
    try {
      Path dir =
          Files.createDirectory(
              tmp().resolve(base + name),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      directories.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for " + name, e);
    }
  }

  private static Path tmp() {
    return Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
  }

  // ------------------------------------------------------------------ building

  /** What a topology is made of, set up by {@link #build}. */
  static final class Builder {
    private final Map<String, Kind> roles = new LinkedHashMap<>();
    private final List<String[]> links = new ArrayList<>();
    private final Map<String, List<String>> script = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    private enum Kind {
      HOST,
      ROUTER,
      BRIDGE
    }

    /** A host namespace. */
    Builder host(String role) {
      roles.put(role, Kind.HOST);
      return this;
    }

    /** A namespace that forwards IPv4 and IPv6 between its interfaces. */
    Builder router(String role) {
      roles.put(role, Kind.ROUTER);
      return this;
    }

    /** A namespace holding one bridge, {@code br0}: an Ethernet switch. */
    Builder bridge(String role) {
      roles.put(role, Kind.BRIDGE);
      return this;
    }

    /**
     * A veth pair from {@code host}'s interface {@code ifname} to {@code peer}: to a port of its
     * bridge if {@code peer} is a bridge, else to {@code peer}'s interface {@code peerIfname}. Each
     * address is {@code a.b.c.d/len} or {@code x::y/len}.
     */
    Builder link(String host, String ifname, String peer, String peerIfname, String... addresses) {
      links.add(new String[] {host, ifname, peer, peerIfname});
      for (String a : addresses) {
        if (a.contains(":")) {
          cmd(host, "ip -6 addr add " + a + " dev " + ifname + " nodad");
        } else {
          cmd(host, "ip addr add " + a + " brd + dev " + ifname);
        }
      }
      return this;
    }

    /** Addresses on the peer end of a host-to-host link made with {@link #link}. */
    Builder address(String host, String ifname, String... addresses) {
      return link(host, ifname, null, null, addresses);
    }

    /** A command run in {@code role}'s namespace once its interfaces are up. */
    Builder cmd(String role, String command) {
      script.computeIfAbsent(role, r -> new ArrayList<>()).add(command);
      return this;
    }

    /** Creates every namespace, link, address and route, and waits until IPv6 is usable. */
    Netns build() {
      Environment.require();
      deleteStale();
      Netns net = new Netns();
      try {
        for (String role : roles.keySet()) {
          net.namespaces.put(role, net.base + role);
        }
        for (Map.Entry<String, Kind> e : roles.entrySet()) {
          String ns = net.ns(e.getKey());
          run("ip", "netns", "add", ns);
          List<String> setup = new ArrayList<>();
          setup.add("sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0");
          if (e.getValue() == Kind.ROUTER) {
            setup.add("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1");
          }
          if (e.getValue() == Kind.BRIDGE) {
            setup.add(
                "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
            setup.add("ip link add br0 type bridge mcast_snooping 0 forward_delay 0");
            setup.add("ip link set br0 up");
          }
          setup.add("ip link set lo up");
          inNamespace(ns, setup);
        }
        Map<String, List<String>> up = new LinkedHashMap<>();
        for (String[] l : links) {
          if (l[2] == null) {
            continue;
          }
          String host = l[0];
          String ifname = l[1];
          String peer = l[2];
          boolean toBridge = roles.get(peer) == Kind.BRIDGE;
          String peerIf = toBridge ? "p" + ports.merge(peer, 1, Integer::sum) : l[3];
          run(
              "ip",
              "link",
              "add",
              ifname,
              "netns",
              net.ns(host),
              "type",
              "veth",
              "peer",
              "name",
              peerIf,
              "netns",
              net.ns(peer));
          up.computeIfAbsent(host, r -> new ArrayList<>()).add(ifname);
          up.computeIfAbsent(peer, r -> new ArrayList<>()).add(toBridge ? "+" + peerIf : peerIf);
        }
        for (String role : roles.keySet()) {
          List<String> setup = new ArrayList<>();
          for (String ifname : up.getOrDefault(role, List.of())) {
            if (ifname.startsWith("+")) {
              setup.add("ip link set " + ifname.substring(1) + " master br0 up");
            } else {
              setup.add("sysctl -qw net.ipv6.conf." + ifname + ".accept_dad=0");
              setup.add("ip link set " + ifname + " up");
            }
          }
          setup.addAll(script.getOrDefault(role, List.of()));
          if (!setup.isEmpty()) {
            inNamespace(net.ns(role), setup);
          }
        }
        for (Map.Entry<String, Kind> e : roles.entrySet()) {
          if (e.getValue() != Kind.BRIDGE) {
            net.awaitIpv6Ready(e.getKey());
          }
        }
        return net;
      } catch (RuntimeException | Error e) {
        net.close();
        throw e;
      }
    }
  }

  static Builder builder() {
    return new Builder();
  }

  private static void inNamespace(String ns, List<String> commands) {
    run("ip", "netns", "exec", ns, "sh", "-ec", String.join("\n", commands));
  }

  /** Waits (bounded) until {@code role} has link-local addresses and none is tentative. */
  private void awaitIpv6Ready(String role) {
    String out = "";
    for (int i = 0; i < 200; i++) {
      out = run("ip", "-n", ns(role), "-6", "addr", "show");
      boolean tentative = out.contains("tentative");
      boolean linkLocal = !out.contains("eth") || out.contains("fe80::");
      if (!tentative && linkLocal) {
        return;
      }
      sleep(25);
    }
    throw new IllegalStateException("IPv6 addresses of " + role + " not ready:\n" + out);
  }

  // ------------------------------------------------------------------ processes

  /**
   * Runs {@code command} in {@code role}'s namespace and returns its output; fails on exit != 0.
   */
  String exec(String role, String... command) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns(role)));
    argv.addAll(List.of(command));
    return run(argv.toArray(new String[0]));
  }

  /** Starts {@code command} in {@code role}'s namespace, owned by this network. */
  Process start(String role, List<String> command) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns(role)));
    argv.addAll(command);
    try {
      Process p = new ProcessBuilder(argv).start();
      own(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv, e);
    }
  }

  /** Runs a command to completion (bounded) and returns stdout+stderr; fails on exit != 0. */
  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Thread reader = drain(p.getInputStream(), out);
      if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      reader.join(TimeUnit.SECONDS.toMillis(COMMAND_SECONDS));
      String text = out.toString(StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  /** Copies {@code in} into {@code out} on a daemon thread until end of stream. */
  static Thread drain(InputStream in, ByteArrayOutputStream out) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  synchronized (out) {
                    out.write(buf, 0, n);
                  }
                }
              } catch (IOException e) {
                // The process is gone; what was read is kept.
              }
            },
            "drain");
    t.setDaemon(true);
    t.start();
    return t;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // ------------------------------------------------------------------ cleanup

  @Override
  public void close() {
    deleteAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or has run.
    }
  }

  /** Destroys the processes this network started, then deletes its namespaces. Idempotent. */
  private synchronized void deleteAll() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (String ns : namespaces.values()) {
      deleteNamespace(ns);
    }
    for (Path dir : directories) {
      deleteTree(dir);
    }
  }

  /** Deletes {@code dir} and everything in it; what cannot be deleted is left. */
  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Left behind; a later run tries again.
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // Gone already, or unreadable: left behind.
    }
  }

  /** Kills what still runs in {@code ns} (only ever our own namespaces) and deletes it. */
  private static void deleteNamespace(String ns) {
    try {
      String pids = run("ip", "netns", "pids", ns);
      for (String pid : pids.trim().split("\\s+")) {
        if (!pid.isEmpty()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (RuntimeException e) {
      // Gone already, or nothing runs there.
    }
    try {
      run("ip", "netns", "del", ns);
    } catch (RuntimeException e) {
      // Gone already.
    }
  }

  /**
   * Deletes namespaces and directories of this prefix whose owning JVM is dead: leftovers of killed
   * runs.
   */
  static void deleteStale() {
    String list;
    try {
      list = run("ip", "netns", "list");
    } catch (RuntimeException e) {
      list = "";
    }
    for (String line : list.split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (stale(name)) {
        deleteNamespace(name);
      }
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp(), PREFIX + "*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
            && stale(dir.getFileName().toString())) {
          deleteTree(dir);
        }
      }
    } catch (IOException e) {
      // No temporary directory to look in.
    }
  }

  /** Whether {@code name} is one of this prefix whose owning JVM is dead. */
  private static boolean stale(String name) {
    Matcher m = OWNED.matcher(name);
    if (!m.find()) {
      return false;
    }
    Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(m.group(1)));
    return owner.isEmpty() || !owner.get().isAlive();
  }
}
