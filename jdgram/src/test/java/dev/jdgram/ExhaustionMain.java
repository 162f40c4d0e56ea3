package dev.jdgram;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link ExhaustionTest}, run under a small {@code ulimit -n} ({@code emfile}) or
 * a small heap and direct-memory limit ({@code flood}). It prints {@code key value} lines that the
 * parent asserts on, and exits 0 unless something it could not report went wrong.
 */
public final class ExhaustionMain {
  private static final List<Throwable> UNCAUGHT = Collections.synchronizedList(new ArrayList<>());

  private ExhaustionMain() {}

  public static void main(String[] args) throws Exception {
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> UNCAUGHT.add(e));
    int status = 1;
    try {
      LoopTaskFailures escaped = LoopTaskFailures.install();
      preloadClasses(DgramSocket.class);
      preloadClasses(ExhaustionMain.class);
      warmUp();
      if ("emfile".equals(args[0])) {
        emfile();
      } else if ("readbuffer".equals(args[0])) {
        readBuffer();
      } else {
        flood();
      }
      List<Throwable> lost = new ArrayList<>(UNCAUGHT);
      lost.addAll(escaped.take());
      System.out.println("uncaught " + lost.size() + (lost.isEmpty() ? "" : " " + lost.get(0)));
      status = 0;
    } catch (Throwable t) {
      System.out.println("exception " + t);
      t.printStackTrace();
    } finally {
      System.out.flush();
      System.exit(status); // a socket left open by a failure must not keep the child alive
    }
  }

  /**
   * Loads every class of the directory that holds {@code anchor}'s classes: they are read from
   * files, one descriptor each, which the class loader could not open once the run has used them
   * all (classes in jars come from jars opened already).
   */
  private static void preloadClasses(Class<?> anchor) throws Exception {
    java.net.URL where = anchor.getProtectionDomain().getCodeSource().getLocation();
    java.nio.file.Path root = java.nio.file.Path.of(where.toURI());
    if (!Files.isDirectory(root)) {
      return;
    }
    List<String> names = new ArrayList<>();
    try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(root)) {
      files
          .filter(f -> f.toString().endsWith(".class"))
          .filter(f -> !f.getFileName().toString().contains("-info"))
          .forEach(
              f -> {
                String rel = root.relativize(f).toString();
                names.add(rel.substring(0, rel.length() - 6).replace(File.separatorChar, '.'));
              });
    }
    for (String name : names) {
      try {
        Class.forName(name, false, anchor.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        // a test class whose dependencies are not needed here
      }
    }
  }

  /** Loads what the run needs while descriptors are still free (the class loader opens jars). */
  private static void warmUp() throws Exception {
    DgramSocket a = bound();
    DgramSocket b = Dgram.createSocket("udp4");
    CompletableFuture<DgramException> inUse = new CompletableFuture<>();
    b.on(DgramSocket.ERROR, inUse::complete);
    b.bind(a.address().port(), "127.0.0.1");
    inUse.get(10, TimeUnit.SECONDS);
    if (!exchange(a)) {
      throw new IllegalStateException("warm-up exchange failed");
    }
    a.closeAsync().get(10, TimeUnit.SECONDS);
    b.closeAsync().get(10, TimeUnit.SECONDS);
    new TreeMap<String, Integer>().merge("x", 1, Integer::sum);
  }

  private static DgramSocket bound() {
    DgramSocket s = Dgram.createSocket("udp4");
    s.bindSync(0, "127.0.0.1");
    return s;
  }

  /**
   * Whether a datagram sent to {@code rx} from a fresh socket arrives within 5 s. Only the probe
   * counts: datagrams of a flood that were still queued may arrive first.
   */
  private static boolean exchange(DgramSocket rx) throws Exception {
    CompletableFuture<Boolean> got = new CompletableFuture<>();
    MessageListener probe =
        (msg, rinfo) -> {
          if ("ping".equals(new String(msg, java.nio.charset.StandardCharsets.UTF_8))) {
            got.complete(true);
          }
        };
    rx.on(DgramSocket.MESSAGE, probe);
    DgramSocket tx = Dgram.createSocket("udp4");
    try {
      for (int i = 0; i < 20 && !got.isDone(); i++) {
        tx.send("ping", rx.address().port(), "127.0.0.1");
        try {
          got.get(250, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // lost under the flood: again
        }
      }
      return got.isDone();
    } finally {
      rx.off(DgramSocket.MESSAGE, probe);
      tx.closeAsync().get(10, TimeUnit.SECONDS);
    }
  }

  private static int openSockets() {
    int n = 0;
    File[] fds = new File("/proc/self/fd").listFiles();
    for (File fd : fds == null ? new File[0] : fds) {
      try {
        if (Files.readSymbolicLink(fd.toPath()).toString().startsWith("socket:")) {
          n++;
        }
      } catch (Exception e) {
        // closed meanwhile
      }
    }
    return n;
  }

  private static void emfile() throws Exception {
    int before = openSockets();
    List<DgramSocket> open = new ArrayList<>();
    String failure = "none";
    for (int i = 0; i < 2_000; i++) {
      DgramSocket s;
      try {
        s = Dgram.createSocket("udp4");
      } catch (DgramException e) {
        failure = "createSocket " + e.code() + " " + e.getMessage();
        break;
      } catch (RuntimeException | Error e) {
        failure = "createSocket foreign " + e;
        break;
      }
      try {
        s.bindSync(0, "127.0.0.1");
        open.add(s);
      } catch (DgramException e) {
        failure = "bindSync " + e.code() + " " + e.getMessage();
        s.closeAsync().get(10, TimeUnit.SECONDS);
        break;
      } catch (RuntimeException | Error e) {
        failure = "bindSync foreign " + e;
        break;
      }
    }
    System.out.println("opened " + open.size());
    System.out.println("failure " + failure);
    // The asynchronous bind reports the same through 'error'.
    DgramSocket async = Dgram.createSocket("udp4");
    CompletableFuture<String> asyncError = new CompletableFuture<>();
    async.on(DgramSocket.ERROR, e -> asyncError.complete(e.code() + " " + e.getMessage()));
    async.on(DgramSocket.LISTENING, () -> asyncError.complete("listening"));
    async.bind(0, "127.0.0.1");
    System.out.println("async " + asyncError.get(10, TimeUnit.SECONDS));
    async.closeAsync().get(10, TimeUnit.SECONDS);
    // A send that must bind implicitly fails through its callback.
    DgramSocket sender = Dgram.createSocket("udp4");
    CompletableFuture<String> sendError = new CompletableFuture<>();
    CompletableFuture<String> sendCallback = new CompletableFuture<>();
    sender.on(DgramSocket.ERROR, e -> sendError.complete(e.code()));
    sender.send("x", 9, "127.0.0.1", (e, n) -> sendCallback.complete(e == null ? "ok" : e.code()));
    System.out.println(
        "send error="
            + sendError.get(10, TimeUnit.SECONDS)
            + " callback="
            + sendCallback.get(10, TimeUnit.SECONDS));
    sender.closeAsync().get(10, TimeUnit.SECONDS);
    // Free some descriptors: sockets work again.
    for (int i = 0; i < 6 && !open.isEmpty(); i++) {
      open.remove(open.size() - 1).closeAsync().get(10, TimeUnit.SECONDS);
    }
    DgramSocket rx = bound();
    System.out.println("recovered " + exchange(rx));
    rx.closeAsync().get(10, TimeUnit.SECONDS);
    for (DgramSocket s : open) {
      s.closeAsync().get(10, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (openSockets() > before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    System.out.println("leaked " + (openSockets() - before));
  }

  private static void flood() throws Exception {
    DgramSocket rx = bound();
    AtomicLong received = new AtomicLong();
    rx.on(DgramSocket.MESSAGE, (msg, rinfo) -> received.incrementAndGet());
    int port = rx.address().port();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> flooders = new ArrayList<>();
    AtomicLong sent = new AtomicLong();
    for (int t = 0; t < 2; t++) {
      Thread f =
          new Thread(
              () -> {
                try (DatagramChannel ch = DatagramChannel.open()) {
                  ByteBuffer b = ByteBuffer.allocate(1_400);
                  InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
                  for (int i = 0; i < 2_000_000 && !stop.get(); i++) {
                    b.clear();
                    ch.send(b, to);
                    sent.incrementAndGet();
                  }
                } catch (java.io.IOException e) {
                  // the flood ends
                }
              });
      f.setDaemon(true);
      f.start();
      flooders.add(f);
    }
    // Meanwhile sends far beyond the direct-memory limit: 60 kB each, without waiting.
    DgramSocket tx = Dgram.createSocket("udp4");
    Map<String, Integer> outcomes = new TreeMap<>();
    AtomicLong callbacks = new AtomicLong();
    byte[] big = new byte[60_000];
    int sends = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    try (DatagramChannel sink = DatagramChannel.open()) {
      sink.bind(new InetSocketAddress("127.0.0.1", 0));
      int sinkPort = ((InetSocketAddress) sink.getLocalAddress()).getPort();
      while (System.nanoTime() < end && sends < 20_000) {
        try {
          tx.send(
              big,
              sinkPort,
              "127.0.0.1",
              (e, n) -> {
                callbacks.incrementAndGet();
                synchronized (outcomes) {
                  outcomes.merge(e == null ? "ok" : e.code(), 1, Integer::sum);
                }
              });
          sends++;
        } catch (DgramException e) {
          synchronized (outcomes) {
            outcomes.merge("thrown " + e.code(), 1, Integer::sum);
          }
        }
        if (sends % 200 == 0) {
          Thread.sleep(1);
        }
      }
      stop.set(true);
      for (Thread f : flooders) {
        f.join(10_000);
      }
      long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (callbacks.get() < sends && System.nanoTime() < wait) {
        Thread.sleep(20);
      }
    }
    // Every flood datagram the kernel took is delivered or counted as dropped, once the loop has
    // read what was still queued.
    long accountDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.get() + rx.stats().kernelDrops() != sent.get()
        && System.nanoTime() < accountDeadline) {
      Thread.sleep(20);
    }
    System.out.println(
        "flooded "
            + sent.get()
            + " received "
            + received.get()
            + " dropped "
            + rx.stats().kernelDrops());
    synchronized (outcomes) {
      System.out.println("sends " + sends + " callbacks " + callbacks.get() + " " + outcomes);
    }
    System.out.println("alive " + exchange(rx));
    tx.closeAsync().get(10, TimeUnit.SECONDS);
    rx.closeAsync().get(10, TimeUnit.SECONDS);
  }

  /**
   * The first read of a loop finds no direct memory for its buffer: Node's {@code 'error'} recvmsg
   * ENOBUFS, the datagram stays queued in the kernel, and once memory is free it is delivered.
   */
  private static void readBuffer() throws Exception {
    // A loop of its own: the shared loop's read buffer was made by the warm-up's reads.
    DgramSocket rx = Dgram.createSocket(SocketOptions.of("udp4").ownEventLoop(true));
    Map<String, Integer> errors = new TreeMap<>();
    rx.on(
        DgramSocket.ERROR,
        e -> {
          synchronized (errors) {
            errors.merge(e.code() + " " + e.syscall(), 1, Integer::sum);
          }
        });
    CompletableFuture<String> got = new CompletableFuture<>();
    rx.on(DgramSocket.MESSAGE, (msg, rinfo) -> got.complete(new String(msg, UTF_8)));
    rx.bindSync(0, "127.0.0.1");
    List<ByteBuffer> jdkHog = new ArrayList<>();
    List<io.netty.buffer.ByteBuf> nettyHog = new ArrayList<>();
    hog(jdkHog, nettyHog);
    try (DatagramChannel tx = DatagramChannel.open()) {
      tx.send(
          ByteBuffer.wrap("kept".getBytes(UTF_8)),
          new InetSocketAddress("127.0.0.1", rx.address().port()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < deadline && !got.isDone() && errorCount(errors) == 0) {
        Thread.sleep(10);
      }
      System.out.println("before-free " + (got.isDone() ? "delivered" : "queued"));
      jdkHog.clear();
      nettyHog.forEach(io.netty.buffer.ByteBuf::release);
      nettyHog.clear();
      System.gc(); // the JDK frees a direct buffer's memory when the buffer is collected
      String payload;
      try {
        payload = got.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        payload = "none";
      }
      System.out.println("delivered " + payload);
    }
    synchronized (errors) {
      System.out.println("errors " + errors.toString().replace(' ', '_'));
    }
    rx.closeAsync().get(10, TimeUnit.SECONDS);
  }

  private static int errorCount(Map<String, Integer> errors) {
    synchronized (errors) {
      return errors.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * Takes all direct memory: the JDK's (what {@code ByteBuffer.allocateDirect} counts) and Netty's
   * own count, where Netty allocates without the JDK's cleaner.
   */
  private static void hog(List<ByteBuffer> jdk, List<io.netty.buffer.ByteBuf> netty) {
    for (int size = 1 << 20; size >= 1024; size >>= 1) {
      try {
        for (int i = 0; i < 100_000; i++) {
          jdk.add(ByteBuffer.allocateDirect(size));
        }
      } catch (OutOfMemoryError full) {
        // next, smaller
      }
      try {
        for (int i = 0; i < 100_000; i++) {
          netty.add(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.directBuffer(size, size));
        }
      } catch (OutOfMemoryError full) {
        // next, smaller
      }
    }
  }
}
