package dev.jdgram.cli;

import dev.jdgram.AddressInfo;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.Lookup;
import dev.jdgram.SocketOptions;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The soak's traffic, all on loopback: echo servers (udp4 and udp6), clients that send bursts and
 * count their echoes by sequence number, connected clients that connect and disconnect, sockets
 * closed and reopened, sends to host names through a custom {@link Lookup}, and multicast join and
 * leave on lo. Each workload is one thread whose every step is bounded ({@link
 * SoakTraffic#STEP_TIMEOUT_MILLIS}) and paced, so the soak measures a steady mix rather than a
 * flood.
 */
final class SoakWorkloads {
  /** The host name that the soak's lookup resolves to loopback. */
  static final String HOST = "soak.test";

  /** A host name that the soak's lookup fails with ENOTFOUND. */
  static final String MISSING_HOST = "missing.soak.test";

  private static final int BURST = 16;
  private static final int MAX_IN_FLIGHT = 256;
  private static final int RING = 1 << 16;
  private static final long PACE_MILLIS = 5;
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

  private final SoakTraffic traffic;
  private final PrintStream out;
  private final List<AddressInfo> servers4 = new ArrayList<>();
  private final List<AddressInfo> servers6 = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final ExecutorService lookupThread =
      Executors.newSingleThreadExecutor(r -> daemon(r, "jdgram-soak-lookup"));
  private final AtomicInteger lookups = new AtomicInteger();
  private volatile boolean running = true;
  private boolean multicast6;

  SoakWorkloads(SoakTraffic traffic, PrintStream out) {
    this.traffic = traffic;
    this.out = out;
  }

  /** Starts the servers (two per family) and every workload's thread. */
  void start() {
    for (int i = 0; i < 2; i++) {
      servers4.add(echoServer("udp4", "127.0.0.1"));
      servers6.add(echoServer("udp6", "::1"));
    }
    multicast6 = probeMulticast6();
    out.println(
        "soak: udp6 multicast (ff15::) on lo "
            + (multicast6 ? "delivers; joined and left too" : "is not delivered here; udp4 only"));
    loop("jdgram-soak-echo", this::echoClients);
    loop("jdgram-soak-connect", this::connectChurn);
    loop("jdgram-soak-churn", this::closeReopenChurn);
    loop("jdgram-soak-lookup-sends", this::lookupSends);
    loop("jdgram-soak-multicast", this::multicastJoinLeave);
  }

  /** Stops every workload and waits for its thread. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(4 * SoakTraffic.STEP_TIMEOUT_MILLIS);
      if (t.isAlive()) {
        traffic.note(t.getName() + " did not stop");
        traffic.stalls.increment();
      }
    }
    lookupThread.shutdownNow();
    lookupThread.awaitTermination(SoakTraffic.STEP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Runs {@code body} on its own thread until stopped; one call is one bounded round. */
  private void loop(String name, Workload body) {
    Thread t =
        daemon(
            () -> {
              while (running) {
                try {
                  body.round();
                  Thread.sleep(PACE_MILLIS);
                } catch (InterruptedException e) {
                  return;
                } catch (DgramException e) {
                  traffic.unexpected(name, e);
                } catch (RuntimeException e) {
                  traffic.failed(name, e);
                }
              }
            },
            name);
    threads.add(t);
    t.start();
  }

  @FunctionalInterface
  private interface Workload {
    void round() throws InterruptedException;
  }

  private AddressInfo echoServer(String type, String address) {
    DgramSocket server = traffic.open(SocketOptions.of(type));
    server.on(
        DgramSocket.MESSAGE,
        (msg, rinfo) -> {
          if (SoakTraffic.seqOf(msg) >= 0) {
            server.send(
                msg,
                rinfo.port(),
                rinfo.address(),
                traffic.once(
                    "echo",
                    (e, n) -> {
                      if (e != null) {
                        traffic.unexpected("echo", e);
                      }
                    }));
          }
        });
    AddressInfo bound = traffic.bind(server, address);
    if (bound == null) {
      throw new IllegalStateException("the " + type + " echo server did not bind");
    }
    return bound;
  }

  private AddressInfo server(List<AddressInfo> servers, long n) {
    return servers.get((int) (n % servers.size()));
  }

  // ---- echo clients: bursts with callbacks, echoes counted by sequence number ----------------

  /** One long-lived client per family; reopened now and then. */
  private final EchoClient[] clients = new EchoClient[2];

  private final class EchoClient {
    final DgramSocket socket;
    final List<AddressInfo> servers;
    final long[] seen = new long[RING];
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong echoes = new AtomicLong();
    int bursts;

    EchoClient(String type) {
      socket = traffic.open(SocketOptions.of(type));
      servers = type.equals("udp4") ? servers4 : servers6;
      socket.on(DgramSocket.MESSAGE, (msg, rinfo) -> echoed(SoakTraffic.seqOf(msg)));
      traffic.bind(socket, type.equals("udp4") ? "127.0.0.1" : "::1");
    }

    /** On the socket's loop: one echo, checked against the sequence numbers already seen. */
    private void echoed(long seq) {
      if (seq < 0) {
        return;
      }
      int slot = (int) (seq % RING);
      if (seen[slot] == seq) {
        traffic.duplicates.increment();
        traffic.note("echo " + seq + " delivered twice");
      } else {
        seen[slot] = seq;
        echoes.incrementAndGet();
        traffic.echoesBack.increment();
      }
    }

    /** Waits up to a second for this client's echoes still on their way, before it closes. */
    void drain() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while ((inFlight.get() > 0 || echoes.get() < sent.get()) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }

    void burst() {
      if (inFlight.get() > MAX_IN_FLIGHT) {
        return;
      }
      for (int i = 0; i < BURST; i++) {
        long seq = traffic.nextSeq();
        AddressInfo to = server(servers, seq);
        inFlight.incrementAndGet();
        socket.send(
            traffic.payload(seq),
            to.port(),
            to.address(),
            traffic.once(
                "burst send",
                (e, n) -> {
                  inFlight.decrementAndGet();
                  if (e != null) {
                    traffic.unexpected("burst send", e);
                  } else {
                    sent.incrementAndGet();
                    traffic.echoesSent.increment();
                  }
                }));
      }
      bursts++;
    }
  }

  private void echoClients() throws InterruptedException {
    for (int i = 0; i < clients.length; i++) {
      if (clients[i] == null || clients[i].bursts >= 2_000) {
        if (clients[i] != null) {
          clients[i].drain();
          traffic.await(clients[i].socket.closeAsync(), "close of an echo client");
        }
        clients[i] = new EchoClient(i == 0 ? "udp4" : "udp6");
      }
      clients[i].burst();
    }
  }

  // ---- connected clients: connect, one echo, disconnect ---------------------------------------

  private int connectRounds;

  private void connectChurn() {
    String type = connectRounds++ % 2 == 0 ? "udp4" : "udp6";
    List<AddressInfo> servers = type.equals("udp4") ? servers4 : servers6;
    DgramSocket socket = traffic.open(SocketOptions.of(type));
    AtomicReference<CompletableFuture<Void>> echo = new AtomicReference<>();
    socket.on(
        DgramSocket.MESSAGE,
        (msg, rinfo) -> {
          CompletableFuture<Void> waiting = echo.get();
          if (waiting != null && SoakTraffic.seqOf(msg) >= 0) {
            waiting.complete(null);
          }
        });
    for (int i = 0; i < 5 && running; i++) {
      AddressInfo to = server(servers, i);
      CompletableFuture<Void> connected = new CompletableFuture<>();
      socket.connect(
          to.port(),
          to.address(),
          traffic.once(
              "connect",
              e -> {
                if (e != null) {
                  connected.completeExceptionally(e);
                } else {
                  connected.complete(null);
                }
              }));
      if (!traffic.await(connected, "connect")) {
        break;
      }
      traffic.connects.increment();
      CompletableFuture<Void> back = new CompletableFuture<>();
      echo.set(back);
      CompletableFuture<Void> sent = new CompletableFuture<>();
      socket.send(traffic.payload(traffic.nextSeq()), traffic.sent("connected send", sent));
      traffic.await(sent, "connected send's callback");
      traffic.await(back, "echo to a connected client");
      socket.disconnect();
    }
    traffic.await(socket.closeAsync(), "close of a connected client");
  }

  // ---- churn: sockets opened, used a little or not at all, and closed ---------------------------

  private int churnRounds;

  private void closeReopenChurn() {
    int round = churnRounds++;
    String type = round % 2 == 0 ? "udp4" : "udp6";
    String loopback = type.equals("udp4") ? "127.0.0.1" : "::1";
    AddressInfo to = server(type.equals("udp4") ? servers4 : servers6, round);
    DgramSocket socket = traffic.open(SocketOptions.of(type).reuseAddr(round % 4 < 2));
    CompletableFuture<Void> closed = new CompletableFuture<>();
    switch (round % 3) {
      case 0 -> {
        // bind, send with a callback, close once it is sent
        traffic.bind(socket, loopback);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        socket.send(
            traffic.payload(traffic.nextSeq()),
            to.port(),
            to.address(),
            traffic.sent("churn send", sent));
        traffic.await(sent, "churn send's callback");
        socket.close(traffic.once("close", () -> closed.complete(null)));
      }
      case 1 -> {
        // a send that binds implicitly, closed at once: its callback may come or not, once at most
        socket.send(
            traffic.payload(traffic.nextSeq()),
            to.port(),
            to.address(),
            traffic.once("send closed at once", (e, n) -> {}));
        socket.close(traffic.once("close", () -> closed.complete(null)));
      }
      default -> {
        // a bind that the close overtakes
        socket.bind(0, loopback);
        socket.close(traffic.once("close", () -> closed.complete(null)));
      }
    }
    traffic.await(closed, "close of a churned socket");
  }

  // ---- lookups: host names through a custom Lookup, some failing --------------------------------

  private DgramSocket lookupSocket;
  private int lookupRounds;

  /** Resolves {@link #HOST} to loopback and IP literals as themselves; anything else fails. */
  private CompletionStage<InetAddress> lookup(String hostname, int family) {
    boolean async = lookups.incrementAndGet() % 2 == 0;
    CompletableFuture<InetAddress> answer = new CompletableFuture<>();
    Runnable resolve =
        () -> {
          try {
            if (hostname.equals(HOST)) {
              answer.complete(InetAddress.getByName(family == 6 ? "::1" : "127.0.0.1"));
            } else if (IP_LITERAL.matcher(hostname).matches()) {
              answer.complete(InetAddress.getByName(hostname)); // a literal: no DNS
            } else {
              answer.completeExceptionally(new UnknownHostException(hostname));
            }
          } catch (UnknownHostException e) {
            answer.completeExceptionally(e);
          }
        };
    if (async) {
      lookupThread.execute(resolve);
    } else {
      resolve.run();
    }
    return answer;
  }

  private void lookupSends() {
    int round = lookupRounds++;
    if (lookupSocket == null || round % 50 == 0) {
      if (lookupSocket != null) {
        traffic.await(lookupSocket.closeAsync(), "close of the lookup socket");
      }
      String type = (round / 50) % 2 == 0 ? "udp4" : "udp6";
      lookupSocket = traffic.open(SocketOptions.of(type).lookup(this::lookup));
    }
    List<AddressInfo> servers = lookupSocket.type().equals("udp4") ? servers4 : servers6;
    AddressInfo to = server(servers, round);
    CompletableFuture<Void> sent = new CompletableFuture<>();
    lookupSocket.send(
        traffic.payload(traffic.nextSeq()), to.port(), HOST, traffic.sent("send to " + HOST, sent));
    traffic.await(sent, "send to " + HOST);
    CompletableFuture<Void> refused = new CompletableFuture<>();
    lookupSocket.send(
        traffic.payload(traffic.nextSeq()),
        to.port(),
        MISSING_HOST,
        traffic.once(
            "send to " + MISSING_HOST,
            (e, n) -> {
              if (e != null && "ENOTFOUND".equals(e.code())) {
                traffic.lookupsFailedAsExpected.increment();
              } else {
                traffic.note("send to " + MISSING_HOST + " did not fail with ENOTFOUND: " + e);
                traffic.unexpectedErrors.increment();
              }
              refused.complete(null);
            }));
    traffic.await(refused, "send to " + MISSING_HOST);
  }

  // ---- multicast: join, receive, leave on lo
  // ------------------------------------------------------

  private DgramSocket multicastRx;
  private DgramSocket multicastTx;
  private final AtomicReference<CompletableFuture<Void>> multicastWait = new AtomicReference<>();
  private int multicastRounds;

  private void multicastJoinLeave() {
    int round = multicastRounds++;
    boolean v6 = multicast6 && round % 2 == 1;
    if (multicastRx == null || round % 40 == 0) {
      closeMulticast();
      multicastRx = multicastSocket(v6 ? "udp6" : "udp4");
      multicastTx = traffic.open(SocketOptions.of(v6 ? "udp6" : "udp4"));
      traffic.bind(multicastTx, v6 ? "::1" : "127.0.0.1");
      multicastTx.setMulticastInterface(v6 ? "::%lo" : "127.0.0.1");
      multicastTx.setMulticastLoopback(true);
    }
    boolean rx6 = multicastRx.type().equals("udp6");
    int n = round % 60_000;
    String group =
        rx6
            ? "ff15::77:" + Integer.toHexString(1 + n)
            : "239.77." + (n / 250) + "." + (1 + n % 250);
    String iface = rx6 ? "::%lo" : "127.0.0.1";
    multicastRx.addMembership(group, iface);
    traffic.memberships.increment();
    CompletableFuture<Void> got = new CompletableFuture<>();
    multicastWait.set(got);
    CompletableFuture<Void> sent = new CompletableFuture<>();
    multicastTx.send(
        traffic.payload(traffic.nextSeq()),
        multicastRx.address().port(),
        group,
        traffic.sent("multicast send", sent));
    traffic.await(sent, "multicast send's callback");
    try {
      got.get(SoakTraffic.STEP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      traffic.multicastMisses.increment();
    }
    multicastRx.dropMembership(group, iface);
  }

  private DgramSocket multicastSocket(String type) {
    DgramSocket rx = traffic.open(SocketOptions.of(type).reuseAddr(true));
    rx.on(
        DgramSocket.MESSAGE,
        (msg, rinfo) -> {
          CompletableFuture<Void> waiting = multicastWait.get();
          if (waiting != null && SoakTraffic.seqOf(msg) >= 0) {
            waiting.complete(null);
          }
        });
    traffic.bind(rx, type.equals("udp6") ? "::" : "0.0.0.0");
    return rx;
  }

  private void closeMulticast() {
    if (multicastRx != null) {
      traffic.await(multicastRx.closeAsync(), "close of a multicast receiver");
      traffic.await(multicastTx.closeAsync(), "close of a multicast sender");
    }
  }

  /** Whether udp6 multicast sent out of lo to ff15:: reaches a member on lo, tried once. */
  private boolean probeMulticast6() {
    DgramSocket rx = multicastSocket("udp6");
    DgramSocket tx = traffic.open(SocketOptions.of("udp6"));
    try {
      traffic.bind(tx, "::1");
      tx.setMulticastInterface("::%lo");
      tx.setMulticastLoopback(true);
      rx.addMembership("ff15::77:0", "::%lo");
      CompletableFuture<Void> got = new CompletableFuture<>();
      multicastWait.set(got);
      CompletableFuture<DgramException> sent = new CompletableFuture<>();
      tx.send(
          traffic.payload(traffic.nextSeq()),
          rx.address().port(),
          "ff15::77:0",
          traffic.once("multicast probe", (e, n) -> sent.complete(e)));
      DgramException refused = sent.get(1, TimeUnit.SECONDS);
      if (refused != null) {
        out.println("soak: udp6 multicast send out of lo: " + ErrorText.describe(refused));
        return false;
      }
      got.get(1, TimeUnit.SECONDS);
      return true;
    } catch (DgramException e) {
      out.println("soak: udp6 multicast on lo: " + e.code() + " " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      out.println("soak: udp6 multicast on lo: nothing received (" + e + ")");
      return false;
    } finally {
      multicastWait.set(null);
      traffic.await(rx.closeAsync(), "close of the multicast probe");
      traffic.await(tx.closeAsync(), "close of the multicast probe");
    }
  }
}
