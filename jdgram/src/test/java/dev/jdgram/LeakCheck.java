package dev.jdgram;

import dev.jdgram.internal.KeepAlive;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (service loader): after each test, nothing the test opened may be left
 * behind (sockets, KeepAlive holds, non-daemon threads) and no exception may have reached an
 * uncaught-exception handler unless the test took it with {@link #takeUncaught()}; after each
 * class, Netty's paranoid leak detector must have reported no leaked buffer.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private static final List<Throwable> UNCAUGHT = Collections.synchronizedList(new ArrayList<>());
  private static final List<String> LEAKS = Collections.synchronizedList(new ArrayList<>());
  private static final long SETTLE_MILLIS = 5_000;

  static {
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> UNCAUGHT.add(e));
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
  }

  private static boolean warmedUp;

  /**
   * Opens what a process opens once and keeps (the event loop, the resolver's descriptors), so the
   * first test's baseline already holds them.
   */
  private static synchronized void warmUp() {
    if (warmedUp) {
      return;
    }
    warmedUp = true;
    // JDK 25 opens a process-wide socket on first NIO use (for its pre-close trick); JDK 17 at
    // startup. Either way it is the JDK's, not a test's.
    try (java.net.DatagramSocket jdk = new java.net.DatagramSocket(0)) {
      jdk.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("JDK warm-up failed", e);
    }
    java.util.concurrent.CompletableFuture<Integer> sent =
        new java.util.concurrent.CompletableFuture<>();
    DgramSocket s = Dgram.createSocket("udp4");
    s.send("warm-up", 9, "localhost", (err, n) -> sent.complete(n));
    try {
      sent.get(10, java.util.concurrent.TimeUnit.SECONDS);
      s.closeAsync().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      IllegalStateException f = new IllegalStateException("jdgram warm-up failed " + UNCAUGHT, e);
      UNCAUGHT.forEach(f::addSuppressed);
      throw f;
    }
  }

  private int socketsBefore;
  private int keepAliveBefore;
  private Set<String> threadsBefore;

  /** Returns and clears what reached the uncaught-exception handlers, for tests that expect it. */
  public static List<Throwable> takeUncaught() {
    synchronized (UNCAUGHT) {
      List<Throwable> copy = new ArrayList<>(UNCAUGHT);
      UNCAUGHT.clear();
      return copy;
    }
  }

  /** The number of open socket descriptors of this process. */
  public static int openSockets() {
    File[] fds = new File("/proc/self/fd").listFiles();
    if (fds == null) {
      return 0;
    }
    int n = 0;
    for (File fd : fds) {
      try {
        Path target = Files.readSymbolicLink(fd.toPath());
        if (target.toString().startsWith("socket:")) {
          n++;
        }
      } catch (Exception e) {
        // the descriptor closed while we looked
      }
    }
    return n;
  }

  private static String describeFds() {
    StringBuilder b = new StringBuilder();
    File[] fds = new File("/proc/self/fd").listFiles();
    for (File fd : fds == null ? new File[0] : fds) {
      try {
        b.append(fd.getName()).append("->").append(Files.readSymbolicLink(fd.toPath())).append(' ');
      } catch (Exception e) {
        // closed meanwhile
      }
    }
    return b.toString();
  }

  private static Set<String> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon() && !t.getName().startsWith("junit-"))
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    warmUp(); // not in <clinit>: the loop thread would block on this class's initialisation
    takeUncaught();
    socketsBefore = openSockets();
    keepAliveBefore = KeepAlive.count();
    threadsBefore = nonDaemonThreads();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
    // Sockets close on the loop and the keep-alive thread ends on its own: give them a moment.
    while (System.currentTimeMillis() < deadline
        && (openSockets() > socketsBefore
            || KeepAlive.count() > keepAliveBefore
            || !threadsBefore.containsAll(nonDaemonThreads()))) {
      Thread.sleep(20);
    }
    List<String> problems = new ArrayList<>();
    if (openSockets() > socketsBefore) {
      problems.add("sockets left open: " + (openSockets() - socketsBefore) + " " + describeFds());
    }
    if (KeepAlive.count() > keepAliveBefore) {
      problems.add("sockets still holding the JVM: " + (KeepAlive.count() - keepAliveBefore));
    }
    Set<String> threads = nonDaemonThreads();
    threads.removeAll(threadsBefore);
    if (!threads.isEmpty()) {
      problems.add("non-daemon threads left: " + threads);
    }
    List<Throwable> uncaught = takeUncaught();
    if (!uncaught.isEmpty()) {
      problems.add("uncaught exceptions: " + uncaught);
    }
    if (!problems.isEmpty()) {
      AssertionError e = new AssertionError(context.getDisplayName() + ": " + problems);
      uncaught.forEach(e::addSuppressed);
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    // Paranoid detection reports a leak when the leaked buffer is collected and a later buffer is
    // tracked; force both.
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(64);
      probe.release();
    }
    synchronized (LEAKS) {
      if (!LEAKS.isEmpty()) {
        String report = String.join("\n", LEAKS);
        LEAKS.clear();
        throw new AssertionError("Netty buffers leaked:\n" + report);
      }
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new ResourceLeakDetector<T>(resource, samplingInterval) {
        @Override
        protected void reportTracedLeak(String resourceType, String records) {
          LEAKS.add(resourceType + " leaked:" + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
          LEAKS.add(resourceType + " leaked (untraced)");
        }
      };
    }
  }
}
