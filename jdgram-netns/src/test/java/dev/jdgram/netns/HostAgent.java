package dev.jdgram.netns;

import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketOptions;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A jdgram program that runs in its own JVM inside a network namespace, driven over stdin and
 * stdout by {@link Host}. {@code src/test/node/agent.js} speaks the same protocol with Node's
 * {@code dgram}, so a test can run one scenario on both and compare.
 *
 * <p>Commands, one a line: {@code <seq> <command> <args...>} (socket options of {@code create}:
 * {@code buf=<bytes>} for SO_RCVBUF and SO_SNDBUF, {@code sndbuf=<bytes>} for SO_SNDBUF alone,
 * {@code qlimit=<bytes>} for sendQueueLimit, {@code reuse=1} for reuseAddr); each gets exactly one
 * reply, {@code r <seq> ok [values]} or {@code r <seq> throw <error>} (the call threw). Events, as
 * they happen: {@code ev <id> listening <address> <port>}, {@code ev <id> message <hex> <address>
 * <family> <port> <size>}, {@code ev <id> error <error>}, {@code ev <id> close}, {@code ev <id>
 * connect}, {@code ev <id> connectcb ok|<error>}, {@code ev <id> sent <tag> <bytes>}, {@code ev
 * <id> senderr <tag> <error>}, {@code ev <id> burstsent <count> <errors> <first error>}; {@code
 * burstlate} and {@code burstcodes} answer a burst receiver's late arrivals and a burst sender's
 * distinct errors; {@code flood} runs a {@link Flood} and reports {@code ev <id> flood <figures>};
 * {@code stats} answers the socket's {@code SocketStats}, its fields in order. An error is {@code
 * <code> <errno> <syscall> <address> <port> <message>}, {@code -} for what is absent, the message
 * last. The agent exits at end of input, so it never outlives the test JVM that feeds it.
 */
public final class HostAgent {
  private static final PrintStream OUT =
      new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
  private static final HexFormat HEX = HexFormat.of();
  private static final Map<String, DgramSocket> SOCKETS = new ConcurrentHashMap<>();
  private static final Map<String, Burst.Tally> TALLIES = new ConcurrentHashMap<>();

  /** The distinct errors of a socket's bursts, {@code code/syscall}, or {@code THROWN/<class>}. */
  private static final Map<String, Set<String>> CODES = new ConcurrentHashMap<>();

  private HostAgent() {}

  /** Reads commands until end of input. */
  public static void main(String[] args) throws Exception {
    String transport = dev.jdgram.internal.Transports.current().name();
    emit("ready java " + transport);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      if (w.length < 2) {
        continue;
      }
      String seq = w[0];
      try {
        String result = command(w);
        emit("r " + seq + " ok" + (result.isEmpty() ? "" : " " + result));
      } catch (DgramException e) {
        emit("r " + seq + " throw " + error(e));
      } catch (RuntimeException e) {
        emit("r " + seq + " throw JAVA - - - - " + e);
      }
      if ("quit".equals(w[1])) {
        break;
      }
    }
    closeAll();
    System.exit(0);
  }

  private static String command(String[] w) throws Exception {
    String cmd = w[1];
    if ("closeall".equals(cmd) || "quit".equals(cmd)) {
      closeAll();
      return "";
    }
    String id = w[2];
    switch (cmd) {
      case "create":
        {
          SocketOptions o = SocketOptions.of(w[3]);
          for (int i = 4; i < w.length; i++) {
            String[] kv = w[i].split("=", 2);
            if ("buf".equals(kv[0])) {
              int size = Integer.parseInt(kv[1]);
              o = o.recvBufferSize(size).sendBufferSize(size);
            } else if ("sndbuf".equals(kv[0])) {
              o = o.sendBufferSize(Integer.parseInt(kv[1]));
            } else if ("qlimit".equals(kv[0])) {
              o = o.sendQueueLimit(Long.parseLong(kv[1]));
            } else if ("reuse".equals(kv[0])) {
              o = o.reuseAddr(true);
            } else {
              throw new IllegalArgumentException("unknown option " + w[i]);
            }
          }
          DgramSocket s = Dgram.createSocket(o);
          s.on(DgramSocket.LISTENING, () -> listening(id, s));
          s.on(DgramSocket.CLOSE, () -> emit("ev " + id + " close"));
          s.on(DgramSocket.CONNECT, () -> emit("ev " + id + " connect"));
          s.on(DgramSocket.ERROR, err -> emit("ev " + id + " error " + error(err)));
          s.on(
              DgramSocket.MESSAGE,
              (msg, rinfo) -> {
                Burst.Tally tally = TALLIES.get(id);
                if (tally != null) {
                  tally.add(msg);
                  return;
                }
                emit(
                    "ev "
                        + id
                        + " message "
                        + hex(msg)
                        + " "
                        + rinfo.address()
                        + " "
                        + rinfo.family()
                        + " "
                        + rinfo.port()
                        + " "
                        + rinfo.size());
              });
          SOCKETS.put(id, s);
          return "";
        }
      case "bind":
        if (w.length > 4) {
          socket(id).bind(Integer.parseInt(w[3]), w[4]);
        } else {
          socket(id).bind(Integer.parseInt(w[3]));
        }
        return "";
      case "connect":
        socket(id)
            .connect(
                Integer.parseInt(w[3]),
                w[4],
                err -> emit("ev " + id + " connectcb " + (err == null ? "ok" : error(err))));
        return "";
      case "disconnect":
        socket(id).disconnect();
        return "";
      case "send":
        socket(id).send(HEX.parseHex(w[3]), Integer.parseInt(w[4]), w[5], sent(id, w[6]));
        return "";
      case "sendc":
        socket(id).send(HEX.parseHex(w[3]), sent(id, w[4]));
        return "";
      case "addm":
        if (w.length > 4) {
          socket(id).addMembership(w[3], w[4]);
        } else {
          socket(id).addMembership(w[3]);
        }
        return "";
      case "dropm":
        if (w.length > 4) {
          socket(id).dropMembership(w[3], w[4]);
        } else {
          socket(id).dropMembership(w[3]);
        }
        return "";
      case "addssm":
        if (w.length > 5) {
          socket(id).addSourceSpecificMembership(w[3], w[4], w[5]);
        } else {
          socket(id).addSourceSpecificMembership(w[3], w[4]);
        }
        return "";
      case "dropssm":
        if (w.length > 5) {
          socket(id).dropSourceSpecificMembership(w[3], w[4], w[5]);
        } else {
          socket(id).dropSourceSpecificMembership(w[3], w[4]);
        }
        return "";
      case "broadcast":
        socket(id).setBroadcast("1".equals(w[3]));
        return "";
      case "ttl":
        return String.valueOf(socket(id).setTTL(Integer.parseInt(w[3])));
      case "mttl":
        return String.valueOf(socket(id).setMulticastTTL(Integer.parseInt(w[3])));
      case "mif":
        socket(id).setMulticastInterface(w[3]);
        return "";
      case "mloop":
        return String.valueOf(socket(id).setMulticastLoopback("1".equals(w[3])));
      case "rcvbuf":
        return String.valueOf(socket(id).getRecvBufferSize());
      case "close":
        socket(id).close();
        return "";
      case "burstrecv":
        TALLIES.put(id, new Burst.Tally());
        return "";
      case "burststat":
        return TALLIES.get(id).summary();
      case "burstlate":
        return String.valueOf(TALLIES.get(id).late());
      case "burstcodes":
        return String.join(",", new java.util.TreeSet<>(CODES.getOrDefault(id, Set.of())));
      case "flood":
        flood(id, socket(id), w);
        return "";
      case "stats":
        return stats(socket(id).stats());
      case "burstsend":
        burstSend(
            id,
            socket(id),
            Integer.parseInt(w[3]),
            Integer.parseInt(w[4]),
            w[5],
            Integer.parseInt(w[6]),
            Integer.parseInt(w[7]));
        return "";
      default:
        throw new IllegalArgumentException("unknown command " + cmd);
    }
  }

  private static DgramSocket socket(String id) {
    DgramSocket s = SOCKETS.get(id);
    if (s == null) {
      throw new IllegalArgumentException("no socket " + id);
    }
    return s;
  }

  private static void listening(String id, DgramSocket s) {
    emit("ev " + id + " listening " + s.address().address() + " " + s.address().port());
  }

  private static dev.jdgram.SendCallback sent(String id, String tag) {
    return (err, bytes) ->
        emit(
            err == null
                ? "ev " + id + " sent " + tag + " " + bytes
                : "ev " + id + " senderr " + tag + " " + error(err));
  }

  /**
   * Sends datagrams 0 to count-1 of a burst, {@code batch} at a time with {@code pauseMillis}
   * between batches so that the receiver's buffer never overflows, on a thread of its own; reports
   * {@code burstsent} once every send has called back.
   */
  private static void burstSend(
      String id, DgramSocket s, int count, int port, String address, int batch, int pauseMillis) {
    Thread t =
        new Thread(
            () -> {
              CountDownLatch done = new CountDownLatch(count);
              AtomicInteger errors = new AtomicInteger();
              AtomicReference<String> first = new AtomicReference<>("-");
              Set<String> codes = CODES.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
              for (int i = 0; i < count; i++) {
                try {
                  s.send(
                      Burst.datagram(i),
                      port,
                      address,
                      (err, n) -> {
                        if (err != null) {
                          codes.add(err.code() + "/" + err.syscall());
                          if (errors.getAndIncrement() == 0) {
                            first.set(error(err));
                          }
                        }
                        done.countDown();
                      });
                } catch (RuntimeException e) {
                  // Not Node's behaviour (send reports errors through its callback): recorded, so
                  // that the test sees it instead of a burst that never ends.
                  codes.add("THROWN/" + e.getClass().getName());
                  errors.incrementAndGet();
                  done.countDown();
                }
                if (i % batch == batch - 1) {
                  Netns.sleep(pauseMillis);
                }
              }
              try {
                done.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              emit(
                  "ev "
                      + id
                      + " burstsent "
                      + (count - done.getCount())
                      + " "
                      + errors.get()
                      + " "
                      + first.get());
            },
            "burst-" + id);
    t.setDaemon(true);
    t.start();
  }

  /**
   * {@code flood <id> <count> <size> <port> <address>}: a {@link Flood} on a thread of its own;
   * reports {@code ev <id> flood <figures>} once every send has called back (or 60 s passed).
   */
  private static void flood(String id, DgramSocket s, String[] w) {
    int count = Integer.parseInt(w[3]);
    int size = Integer.parseInt(w[4]);
    int port = Integer.parseInt(w[5]);
    String address = w[6];
    Thread t =
        new Thread(
            () -> {
              String figures;
              try {
                figures = Flood.run(s, count, size, port, address, 60_000);
              } catch (RuntimeException e) {
                figures = "failed " + e;
              }
              emit("ev " + id + " flood " + figures);
            },
            "flood-" + id);
    t.setDaemon(true);
    t.start();
  }

  /** A socket's {@link dev.jdgram.SocketStats}, its fields in order, space separated. */
  private static String stats(dev.jdgram.SocketStats st) {
    return st.datagramsReceived()
        + " "
        + st.bytesReceived()
        + " "
        + st.datagramsSent()
        + " "
        + st.bytesSent()
        + " "
        + st.sendErrors()
        + " "
        + st.sendBlocked()
        + " "
        + st.sendQueueRefused()
        + " "
        + st.receiveBlocked()
        + " "
        + st.kernelDrops();
  }

  private static void closeAll() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (DgramSocket s : SOCKETS.values()) {
      closing.add(s.closeAsync());
    }
    for (CompletableFuture<Void> f : closing) {
      try {
        f.get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        emit("log close failed: " + e);
      }
    }
    SOCKETS.clear();
    TALLIES.clear();
    CODES.clear();
  }

  static String error(DgramException e) {
    return dash(e.code())
        + " "
        + dash(e.errno())
        + " "
        + dash(e.syscall())
        + " "
        + dash(e.address())
        + " "
        + dash(e.port())
        + " "
        + e.getMessage();
  }

  private static String dash(Object o) {
    return o == null || o.toString().isEmpty() ? "-" : o.toString();
  }

  private static String hex(byte[] b) {
    return b.length == 0 ? "-" : HEX.formatHex(b);
  }

  private static synchronized void emit(String line) {
    OUT.println(line);
    OUT.flush();
  }
}
