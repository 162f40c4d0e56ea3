package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tcpdump on one interface of one namespace: {@code tcpdump -i IF -n -v -l -c N udp port P}.
 * {@link #start} returns once tcpdump says it is listening; {@link #ttls} waits (bounded) for the N
 * packets and returns the IPv4 TTL or IPv6 hop limit of each, in order.
 */
final class Capture implements AutoCloseable {
  private static final Pattern TTL = Pattern.compile("\\((?:tos [^,]+, )?ttl (\\d+),|hlim (\\d+),");

  private final Process process;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final String what;
  private final Thread stdout;

  private Capture(Process process, String what) {
    this.process = process;
    this.what = what;
    stdout = Netns.drain(process.getInputStream(), out);
    Netns.drain(process.getErrorStream(), err);
  }

  /**
   * Starts capturing {@code count} UDP packets to or from {@code port} on {@code role}'s {@code
   * ifname}.
   */
  static Capture start(Netns net, String role, String ifname, int count, int port) {
    List<String> cmd =
        List.of(
            "tcpdump",
            "-i",
            ifname,
            "-n",
            "-v",
            "-l",
            "-c",
            String.valueOf(count),
            "udp",
            "port",
            String.valueOf(port));
    Capture c =
        new Capture(net.start(role, cmd), "tcpdump on " + role + "." + ifname + " port " + port);
    for (int i = 0; i < 400 && !c.stderr().contains("listening on"); i++) {
      if (!c.process.isAlive()) {
        fail(c.what + " exited: " + c.stderr());
      }
      Netns.sleep(25);
    }
    if (!c.stderr().contains("listening on")) {
      c.close();
      fail(c.what + " did not start listening: " + c.stderr());
    }
    return c;
  }

  private String stderr() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  /** What tcpdump printed so far. */
  String output() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits for the packets and returns each one's TTL (IPv4) or hop limit (IPv6). */
  List<Integer> ttls() {
    try {
      if (!process.waitFor(Host.WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        close();
        fail(what + ": not all packets captured in time; got:\n" + output());
      }
      stdout.join(Host.WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
    List<Integer> ttls = new ArrayList<>();
    Matcher m = TTL.matcher(output());
    while (m.find()) {
      ttls.add(Integer.valueOf(m.group(1) != null ? m.group(1) : m.group(2)));
    }
    return ttls;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
