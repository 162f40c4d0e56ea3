package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A UDP program in a namespace, driven over the line protocol of {@link HostAgent}: jdgram in a JVM
 * of its own ({@link #java}) or Node's dgram ({@link #node}). Keeps every line the agent printed;
 * waits take the first line not yet taken that matches, so strays and out-of-order events are
 * harmless. Every wait is bounded and fails with what the agent said.
 */
final class Host implements AutoCloseable {
  /** How long a datagram, event or reply may take on a loaded machine. */
  static final long WAIT_MILLIS = 10_000;

  private static final HexFormat HEX = HexFormat.of();
  private static final AtomicInteger IDS = new AtomicInteger();

  final String name;
  final String kind;
  private final Process process;
  private final OutputStream stdin;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final List<String> lines = new ArrayList<>();
  private final BitSet taken = new BitSet();
  private int seq;
  private boolean ended;

  private Host(String name, String kind, Process process) {
    this.name = name;
    this.kind = kind;
    this.process = process;
    this.stdin = process.getOutputStream();
    Netns.drain(process.getErrorStream(), stderr);
    Thread reader = new Thread(this::readStdout, "agent-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@link HostAgent} (jdgram on {@code transport}) in {@code role}'s namespace. */
  static Host java(Netns net, String role, String transport) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xshare:auto",
            "-Xmx256m",
            "--enable-native-access=ALL-UNNAMED",
            "-Ddev.jdgram.transport=" + transport,
            HostAgent.class.getName());
    Host h = new Host("java@" + role, "java", net.start(role, cmd));
    String ready = h.await(l -> l.startsWith("ready "), 60_000, "agent start");
    if (!"auto".equals(transport)) {
      assertEquals("ready java " + transport, ready, "the agent runs on the transport asked for");
    }
    return h;
  }

  /** Starts {@code src/test/node/agent.js} (Node's dgram) in {@code role}'s namespace. */
  static Host node(Netns net, String role) {
    Path script = nodeDir().resolve("agent.js");
    Host h = new Host("node@" + role, "node", net.start(role, List.of("node", script.toString())));
    h.await(l -> l.startsWith("ready "), 30_000, "node agent start");
    return h;
  }

  /** The directory of the Node scripts, {@code src/test/node}. */
  static Path nodeDir() {
    return Path.of(System.getProperty("jdgram.netns.nodeDir", "src/test/node")).toAbsolutePath();
  }

  boolean alive() {
    return process.isAlive();
  }

  private void readStdout() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (this) {
          lines.add(line);
          notifyAll();
        }
      }
    } catch (IOException e) {
      // The agent is gone; ended tells the waiters.
    }
    synchronized (this) {
      ended = true;
      notifyAll();
    }
  }

  // ------------------------------------------------------------------ the protocol

  /** Sends a command and returns what follows {@code ok}; an exception if the call threw. */
  String call(Object... words) {
    String reply = send(words);
    if (reply.startsWith("throw ")) {
      throw new Thrown(name, Err.parse(reply.substring(6)));
    }
    return reply.substring(2).trim();
  }

  /** Sends a command that must throw, and returns the error. */
  Err callThrows(Object... words) {
    String reply = send(words);
    if (!reply.startsWith("throw ")) {
      fail(name + ": expected " + List.of(words) + " to throw, got " + reply);
    }
    return Err.parse(reply.substring(6));
  }

  private String send(Object... words) {
    int n;
    StringBuilder line = new StringBuilder();
    synchronized (this) {
      n = ++seq;
    }
    line.append(n);
    for (Object w : words) {
      line.append(' ').append(w);
    }
    try {
      synchronized (stdin) {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
      }
    } catch (IOException e) {
      fail(name + ": agent gone (" + e + ")\n" + transcript());
    }
    String prefix = "r " + n + " ";
    return await(l -> l.startsWith(prefix), WAIT_MILLIS, "reply to " + line)
        .substring(prefix.length());
  }

  /** The first untaken line matching {@code p}, waiting up to {@code millis}; fails otherwise. */
  String await(Predicate<String> p, long millis, String what) {
    return poll(p, millis)
        .orElseGet(
            () ->
                fail(
                    name
                        + ": timed out after "
                        + millis
                        + " ms waiting for "
                        + what
                        + "\n"
                        + transcript()));
  }

  /** The first untaken line matching {@code p}, waiting up to {@code millis}. */
  synchronized Optional<String> poll(Predicate<String> p, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    int from = 0;
    while (true) {
      for (int i = taken.nextClearBit(from); i < lines.size(); i = taken.nextClearBit(i + 1)) {
        if (p.test(lines.get(i))) {
          taken.set(i);
          return Optional.of(lines.get(i));
        }
      }
      from = lines.size();
      long left = deadline - System.nanoTime();
      if (left <= 0 || ended) {
        return Optional.empty();
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /** What the agent printed (the last lines) and its stderr, for failure messages. */
  synchronized String transcript() {
    int from = Math.max(0, lines.size() - 40);
    String err;
    synchronized (stderr) {
      err = stderr.toString(StandardCharsets.UTF_8);
    }
    return "--- "
        + name
        + " stdout (last lines):\n"
        + String.join("\n", lines.subList(from, lines.size()))
        + "\n--- stderr:\n"
        + err;
  }

  /**
   * A new socket on this host, with createSocket options: {@code buf=<bytes>} (recvBufferSize and
   * sendBufferSize), {@code reuse=1} (reuseAddr).
   */
  Sock socket(String type, String... options) {
    String id = "s" + IDS.incrementAndGet();
    Object[] words = new Object[3 + options.length];
    words[0] = "create";
    words[1] = id;
    words[2] = type;
    System.arraycopy(options, 0, words, 3, options.length);
    call(words);
    return new Sock(this, id, type);
  }

  /** Closes every socket of the agent and waits for their 'close'. */
  void reset() {
    if (alive()) {
      call("closeall");
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String hex(String text) {
    return HEX.formatHex(text.getBytes(StandardCharsets.UTF_8));
  }

  static String text(String hex) {
    return "-".equals(hex) ? "" : new String(HEX.parseHex(hex), StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ values

  /** A Node/jdgram error as an agent reports it; null fields were {@code -}. */
  record Err(
      String code, Integer errno, String syscall, String address, Integer port, String message) {
    static Err parse(String s) {
      String[] w = s.split(" ", 6);
      return new Err(
          nil(w[0]),
          nil(w[1]) == null ? null : Integer.valueOf(w[1]),
          nil(w[2]),
          nil(w[3]),
          nil(w[4]) == null ? null : Integer.valueOf(w[4]),
          w.length > 5 ? w[5] : "");
    }

    private static String nil(String s) {
      return "-".equals(s) ? null : s;
    }
  }

  /** A received datagram and its rinfo. */
  record Message(String address, String family, int port, int size) {}

  /** A call that threw in the agent. */
  static final class Thrown extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Err err;

    Thrown(String host, Err err) {
      super(host + " threw " + err);
      this.err = err;
    }
  }
}
