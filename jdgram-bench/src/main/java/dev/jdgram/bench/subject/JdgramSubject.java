package dev.jdgram.bench.subject;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import dev.jdgram.SendCallback;
import dev.jdgram.SocketOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * jdgram through its public API only, as an application uses it; the transport is the JVM's {@code
 * dev.jdgram.transport} property.
 *
 * <p>Modes: {@code recv}, {@code scale sockets=N portsFile=F}, {@code multicore sockets=N} (N
 * sockets with {@code reusePort} and {@code ownEventLoop} on one port), {@code send port=P size=S
 * window=W}, {@code sendmany port=P size=S batch=B window=W}, {@code echo}, {@code ping port=P},
 * {@code coldstart} (the first socket of a fresh JVM: {@link ColdStart}).
 */
public final class JdgramSubject {
  private static final String LOOPBACK = "127.0.0.1";

  private JdgramSubject() {}

  /**
   * Runs one mode.
   *
   * @param args the mode and its {@code key=value} parameters
   */
  public static void main(String[] args) throws Exception {
    Params p = new Params(args, 1);
    switch (args[0]) {
      case "recv" -> receive(1, p, null);
      case "scale" -> receive(p.integer("sockets", 10_000), p, p.text("portsFile", null));
      case "multicore" -> multicore(p.integer("sockets", 1));
      case "send" -> send(p, 1);
      case "sendmany" -> send(p, p.integer("batch", 64));
      case "echo" -> echo();
      case "ping" -> ping(p);
      case "coldstart" -> ColdStart.run();
      default -> Control.fail("unknown mode " + args[0], null);
    }
  }

  /** A 'message' listener that counts; its meter has one writer, the sockets' shared loop. */
  private static final class Counting implements dev.jdgram.MessageListener {
    final Meter meter = new Meter();
    byte[] last; // keeps the array alive so the JIT cannot drop it

    @Override
    public void onMessage(byte[] msg, dev.jdgram.RemoteInfo rinfo) {
      last = msg;
      meter.add(1, msg.length);
    }
  }

  private static void onError(DgramSocket socket) {
    socket.on(DgramSocket.ERROR, err -> Control.fail("socket error: " + err, err));
  }

  private static void receive(int sockets, Params p, String portsFile) throws Exception {
    Counting counting = new Counting();
    List<DgramSocket> all = new ArrayList<>();
    CountDownLatch bound = new CountDownLatch(sockets);
    for (int i = 0; i < sockets; i++) {
      DgramSocket s = Dgram.createSocket("udp4");
      onError(s);
      s.on(DgramSocket.MESSAGE, counting);
      s.bind(p.integer("port", 0), LOOPBACK, bound::countDown);
      all.add(s);
    }
    await(bound, "bind");
    List<Integer> ports = new ArrayList<>();
    for (DgramSocket s : all) {
      ports.add(s.address().port());
    }
    NettySubject.readyWithPorts(ports, portsFile);
    Meter.Window window = new Meter.Window(List.of(counting.meter));
    Control.serve(window::mark, window::stop);
  }

  /** N sockets on one port (SO_REUSEPORT), each on an event loop of its own, one meter each. */
  private static void multicore(int sockets) throws Exception {
    List<Meter> meters = new ArrayList<>();
    int port = 0;
    for (int i = 0; i < sockets; i++) {
      Counting counting = new Counting();
      meters.add(counting.meter);
      DgramSocket s =
          Dgram.createSocket(SocketOptions.of("udp4").reusePort(true).ownEventLoop(true));
      onError(s);
      s.on(DgramSocket.MESSAGE, counting);
      CountDownLatch bound = new CountDownLatch(1);
      s.bind(port, LOOPBACK, bound::countDown);
      await(bound, "bind");
      port = s.address().port();
    }
    Control.ready("port=" + port + " sockets=" + sockets);
    Meter.Window window = new Meter.Window(meters);
    Control.serve(window::mark, window::stop);
  }

  private static void send(Params p, int batch) throws Exception {
    int port = p.integer("port", 0);
    int size = p.integer("size", 64);
    int window = Math.max(1, p.integer("window", 128) / batch);
    byte[] payload = new byte[size];
    Arrays.fill(payload, (byte) 'x');
    DgramSocket socket = Dgram.createSocket("udp4");
    onError(socket);
    CountDownLatch bound = new CountDownLatch(1);
    socket.bind(0, LOOPBACK, bound::countDown);
    await(bound, "bind");
    Meter meter = new Meter();
    AtomicLong errors = new AtomicLong();
    Sender sender = batch > 1 ? batchSender(socket, payload, batch, port) : null;
    SendCallback[] refill = new SendCallback[1];
    refill[0] =
        (err, bytes) -> {
          if (err != null) {
            errors.incrementAndGet();
          } else {
            meter.add(batch, bytes);
          }
          if (sender != null) {
            sender.send(refill[0]);
          } else {
            socket.send(payload, port, LOOPBACK, refill[0]);
          }
        };
    for (int i = 0; i < window; i++) {
      if (sender != null) {
        sender.send(refill[0]);
      } else {
        socket.send(payload, port, LOOPBACK, refill[0]);
      }
    }
    Control.ready("port=" + socket.address().port());
    Meter.Window w = new Meter.Window(List.of(meter));
    Control.serve(w::mark, () -> w.stop() + " errors=" + errors.get());
  }

  /** Sends one batch of datagrams; sendMany where the library has it. */
  interface Sender {
    void send(SendCallback callback);
  }

  /** sendMany of {@code batch} datagrams, all the same array (never modified, as the API asks). */
  private static Sender batchSender(DgramSocket socket, byte[] payload, int batch, int port) {
    List<byte[]> msgs = java.util.Collections.nCopies(batch, payload);
    return callback -> socket.sendMany(msgs, port, LOOPBACK, callback);
  }

  private static void echo() throws Exception {
    DgramSocket socket = Dgram.createSocket("udp4");
    onError(socket);
    socket.on(DgramSocket.MESSAGE, (msg, rinfo) -> socket.send(msg, rinfo.port(), rinfo.address()));
    CountDownLatch bound = new CountDownLatch(1);
    socket.bind(0, LOOPBACK, bound::countDown);
    await(bound, "bind");
    Control.ready("port=" + socket.address().port());
    Control.serve(() -> {}, () -> "count=0");
  }

  private static void ping(Params p) throws Exception {
    Control.exitOnEndOfInput();
    int port = p.integer("port", 0);
    DgramSocket socket = Dgram.createSocket("udp4");
    onError(socket);
    PingClient client =
        new PingClient(
            p.integer("warmup", 20_000),
            p.integer("count", 100_000),
            p.integer("size", 64),
            payload -> socket.send(payload, port, LOOPBACK));
    socket.on(DgramSocket.MESSAGE, (msg, rinfo) -> client.onReply(msg));
    CountDownLatch bound = new CountDownLatch(1);
    socket.bind(0, LOOPBACK, bound::countDown);
    await(bound, "bind");
    client.startWatchdog();
    client.start();
    Thread.currentThread().join(); // the client halts the JVM when done
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(60, TimeUnit.SECONDS)) {
      Control.fail(what + " did not complete in 60 s", null);
    }
  }
}
