package dev.jdgram.netns;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An impaired link, for a kernel without {@code netem} (and here without tc's {@code pedit} and
 * {@code gact} actions too): a UDP relay in the middle namespace that forwards every datagram it
 * gets on its listening port to one target, deciding each one's fate with a seeded {@link Random}:
 * dropped, duplicated (sent twice back to back), held back (released after the next {@value
 * #HOLD_FOR} forwarded datagrams, or when the relay is idle: reordering), corrupted, or forwarded
 * as is. Plain JDK sockets, not jdgram: the relay is part of the network, not of the code under
 * test.
 *
 * <p>Corruption must be seen by the receiving kernel, and a UDP socket cannot do that: whatever
 * payload it sends gets a fresh, valid checksum. So a corrupted datagram leaves through a raw IP
 * socket instead ({@code socat -u UDP-RECV:<loopback> IP-SENDTO:<target>:17}, the relay writing the
 * whole UDP header itself to socat over loopback): the relay computes the datagram's correct UDP
 * checksum (pseudo-header with its own address as source), then flips one payload bit, so the
 * datagram reaches the receiver with a checksum that no longer matches, exactly like a bit flipped
 * on the wire. Raw-socket packets carry no checksum-offload flag across the veth (unlike a UDP
 * socket's, which the receiver trusts unverified), so the receiving kernel verifies the checksum,
 * drops the datagram and counts it in {@code InCsumErrors} / {@code Udp6InCsumErrors}.
 *
 * <p>Run as {@code Relay <4|6> <listenPort> <target> <targetPort> <source> <seed> <drop%> <dup%>
 * <hold%> <corrupt%>}; prints {@code ready <port>} (the port bound), answers the line {@code stats}
 * with {@code stats received forwarded dropped duplicated held late corrupted pending}, exits at
 * end of input. {@code late} counts first copies forwarded after a higher sequence number (the
 * burst's first 4 bytes), which is what the receiver's tally will count if the last hop keeps
 * order.
 */
public final class Relay {
  static final int HOLD_FOR = 3;
  private static final int RAW_PORT = 47017;

  private final DatagramChannel in;
  private final DatagramChannel out;
  private final DatagramChannel raw;
  private final InetSocketAddress target;
  private final InetSocketAddress rawAddress;
  private final InetAddress source;
  private final Random random;
  private final int drop;
  private final int dup;
  private final int hold;
  private final int corrupt;
  private final List<Held> heldBack = new ArrayList<>();
  private int received;
  private int forwarded;
  private int dropped;
  private int duplicated;
  private int held;
  private int late;
  private int corrupted;
  private int highest = -1;

  private record Held(byte[] datagram, int releaseAt) {}

  private Relay(String[] a) throws IOException {
    boolean v6 = "6".equals(a[0]);
    ProtocolFamily family = v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    in = DatagramChannel.open(family);
    in.setOption(StandardSocketOptions.SO_RCVBUF, Burst.BUFFER);
    in.bind(new InetSocketAddress(Integer.parseInt(a[1])));
    in.configureBlocking(false);
    out = DatagramChannel.open(family);
    out.setOption(StandardSocketOptions.SO_SNDBUF, Burst.BUFFER);
    out.bind(new InetSocketAddress(0));
    raw = DatagramChannel.open(family);
    target = new InetSocketAddress(InetAddress.getByName(a[2]), Integer.parseInt(a[3]));
    source = InetAddress.getByName(a[4]);
    random = new Random(Long.parseLong(a[5]));
    drop = Integer.parseInt(a[6]);
    dup = Integer.parseInt(a[7]);
    hold = Integer.parseInt(a[8]);
    corrupt = Integer.parseInt(a[9]);
    rawAddress = new InetSocketAddress(InetAddress.getByName(v6 ? "::1" : "127.0.0.1"), RAW_PORT);
  }

  /** The relay's process: see the class comment. */
  public static void main(String[] args) throws Exception {
    PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Relay r = new Relay(args);
    boolean v6 = "6".equals(args[0]);
    String target = v6 ? "[" + args[2] + "]" : args[2];
    Process socat =
        new ProcessBuilder(
                "socat",
                "-u",
                v6
                    ? "UDP6-RECV:" + RAW_PORT + ",bind=[::1]"
                    : "UDP4-RECV:" + RAW_PORT + ",bind=127.0.0.1",
                (v6 ? "IP6-SENDTO:" : "IP4-SENDTO:") + target + ":17")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
    awaitBound(v6, RAW_PORT, socat);
    Thread loop = new Thread(r::run, "relay");
    loop.setDaemon(true);
    loop.start();
    stdout.println("ready " + ((InetSocketAddress) r.in.getLocalAddress()).getPort());
    BufferedReader cmds =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = cmds.readLine(); line != null; line = cmds.readLine()) {
      if ("stats".equals(line.trim())) {
        stdout.println(r.stats());
      }
    }
    socat.destroyForcibly();
    System.exit(0);
  }

  /** Waits (bounded) until socat has its loopback port, from /proc/net/udp or udp6. */
  private static void awaitBound(boolean v6, int port, Process socat) throws IOException {
    String hex = String.format(Locale.ROOT, ":%04X ", port);
    Path table = Path.of(v6 ? "/proc/net/udp6" : "/proc/net/udp");
    for (int i = 0; i < 400; i++) {
      if (Files.readString(table).contains(hex)) {
        return;
      }
      if (!socat.isAlive()) {
        throw new IllegalStateException("socat exited " + socat.exitValue());
      }
      Netns.sleep(25);
    }
    throw new IllegalStateException("socat did not bind port " + port);
  }

  private synchronized String stats() {
    return "stats "
        + received
        + " "
        + forwarded
        + " "
        + dropped
        + " "
        + duplicated
        + " "
        + held
        + " "
        + late
        + " "
        + corrupted
        + " "
        + heldBack.size();
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocate(65536);
    try (Selector selector = Selector.open()) {
      in.register(selector, SelectionKey.OP_READ);
      while (true) {
        if (selector.select(100) == 0) {
          synchronized (this) {
            releaseAll();
          }
          continue;
        }
        selector.selectedKeys().clear();
        while (true) {
          buf.clear();
          if (in.receive(buf) == null) {
            break;
          }
          buf.flip();
          byte[] d = new byte[buf.remaining()];
          buf.get(d);
          synchronized (this) {
            relay(d);
          }
        }
      }
    } catch (IOException e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private void relay(byte[] d) throws IOException {
    received++;
    int r = random.nextInt(100);
    if (r < drop) {
      dropped++;
    } else if (r < drop + dup) {
      duplicated++;
      forward(d);
      send(d);
    } else if (r < drop + dup + hold) {
      held++;
      heldBack.add(new Held(d, forwarded + HOLD_FOR));
    } else if (r < drop + dup + hold + corrupt) {
      corrupted++;
      sendCorrupted(d);
    } else {
      forward(d);
    }
    Iterator<Held> it = heldBack.iterator();
    while (it.hasNext()) {
      Held h = it.next();
      if (forwarded >= h.releaseAt()) {
        it.remove();
        forward(h.datagram());
      }
    }
  }

  private void releaseAll() throws IOException {
    List<Held> all = new ArrayList<>(heldBack);
    heldBack.clear();
    for (Held h : all) {
      forward(h.datagram());
    }
  }

  /** Sends the first copy of a datagram, counting it late if a higher number went before it. */
  private void forward(byte[] d) throws IOException {
    int seq = d.length >= 4 ? ByteBuffer.wrap(d).getInt() : -1;
    if (seq < highest) {
      late++;
    }
    highest = Math.max(highest, seq);
    forwarded++;
    send(d);
  }

  private void send(byte[] d) throws IOException {
    if (out.send(ByteBuffer.wrap(d), target) != d.length) {
      throw new IOException("short send");
    }
  }

  /** The datagram with a valid UDP header whose checksum one flipped payload bit invalidates. */
  private void sendCorrupted(byte[] d) throws IOException {
    int length = 8 + d.length;
    ByteBuffer udp = ByteBuffer.allocate(length);
    udp.putShort((short) ((InetSocketAddress) out.getLocalAddress()).getPort());
    udp.putShort((short) target.getPort());
    udp.putShort((short) length);
    udp.putShort((short) 0);
    udp.put(d);
    byte[] src = source.getAddress();
    byte[] dst = target.getAddress().getAddress();
    ByteBuffer pseudo = ByteBuffer.allocate(src.length * 2 + 8 + length);
    pseudo.put(src).put(dst);
    if (src.length == 4) {
      pseudo.put((byte) 0).put((byte) 17).putShort((short) length);
    } else {
      pseudo.putInt(length).put(new byte[3]).put((byte) 17);
    }
    pseudo.put(udp.array());
    int sum = checksum(pseudo.array(), pseudo.position());
    udp.putShort(6, (short) (sum == 0 ? 0xffff : sum));
    int bit = random.nextInt(d.length * 8);
    udp.array()[8 + bit / 8] ^= (byte) (1 << (bit % 8));
    raw.send(ByteBuffer.wrap(udp.array()), rawAddress);
  }

  private static int checksum(byte[] b, int length) {
    long sum = 0;
    for (int i = 0; i < length; i += 2) {
      int hi = b[i] & 0xff;
      int lo = i + 1 < length ? b[i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  // ------------------------------------------------------------------ the test's side

  /** A relay process started in a namespace, with its stdout. */
  static final class Handle {
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private int port;

    private Handle(Process process) {
      this.process = process;
      this.stdin = process.getOutputStream();
      Netns.drain(process.getErrorStream(), stderr);
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                  }
                } catch (IOException e) {
                  // Gone: the waits time out with stderr.
                }
              },
              "relay-out");
      t.setDaemon(true);
      t.start();
    }

    /** Starts a relay in {@code role}'s namespace and waits for it to be ready. */
    static Handle start(Netns net, String role, List<String> args) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>();
      cmd.addAll(
          List.of(
              java,
              "-cp",
              System.getProperty("java.class.path"),
              "-XX:+UseSerialGC",
              "-Xmx128m",
              Relay.class.getName()));
      cmd.addAll(args);
      Handle h = new Handle(net.start(role, cmd));
      h.port = Integer.parseInt(h.next("ready ", 60_000).substring(6));
      return h;
    }

    /** The port the relay listens on. */
    int port() {
      return port;
    }

    private String next(String prefix, long millis) {
      try {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
          String l = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (l == null) {
            String err;
            synchronized (stderr) {
              err = stderr.toString(StandardCharsets.UTF_8);
            }
            return fail("relay: no '" + prefix + "' within " + millis + " ms; stderr:\n" + err);
          }
          if (l.startsWith(prefix)) {
            return l;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted");
      }
    }

    /** {@code received forwarded dropped duplicated held late corrupted pending}, as ints. */
    int[] stats() {
      try {
        stdin.write("stats\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
      } catch (IOException e) {
        fail("relay gone: " + e);
      }
      String[] w = next("stats ", Host.WAIT_MILLIS).split(" ");
      int[] s = new int[w.length - 1];
      for (int i = 0; i < s.length; i++) {
        s[i] = Integer.parseInt(w[i + 1]);
      }
      return s;
    }

    void close() {
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
  }
}
