package dev.jdgram.netns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
   * until it has installed them: it writes its PID file last.
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
    return r;
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
