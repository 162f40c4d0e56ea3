package dev.jdgram.netns;

import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketStats;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A flood from one jdgram socket, run in a {@link HostAgent}: {@code count} fresh datagrams of
 * {@code size} bytes sent back to back (no pause, no waiting for callbacks), while a sampler thread
 * reads {@code getSendQueueSize()}/{@code getSendQueueCount()}, the heap and Netty's direct memory
 * every few milliseconds. Then it waits (bounded) for every callback and for the queue to empty,
 * and reports one line of {@code key=value} figures, then {@code |} and the first refused send's
 * error.
 *
 * <p>Each datagram is a new array, as an application that builds its datagrams would send them, so
 * that the heap shows what a backlog holds on to. Every callback is counted per datagram, so a
 * callback run twice or never shows as {@code twice} or {@code missing}.
 */
final class Flood {
  private static final long SAMPLE_MILLIS = 2;

  private Flood() {}

  /** Runs the flood on the calling thread and returns its figures. */
  static String run(DgramSocket s, int count, int size, int port, String address, long waitMillis) {
    String where = address + ":" + port;
    AtomicIntegerArray calls = new AtomicIntegerArray(count);
    CountDownLatch done = new CountDownLatch(count);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicInteger thrown = new AtomicInteger();
    AtomicReference<String> firstRefused = new AtomicReference<>("-");
    AtomicReference<String> firstOther = new AtomicReference<>("-");

    System.gc();
    long heapBefore = heap();
    long directBefore = direct();
    Sampler sampler = new Sampler(s);
    sampler.start();

    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      byte[] datagram = new byte[size];
      ByteBuffer.wrap(datagram).putInt(i);
      int seq = i;
      try {
        s.send(
            datagram,
            port,
            address,
            (DgramException err, int bytes) -> {
              if (calls.getAndIncrement(seq) > 0) {
                return; // counted as twice below; the latch counts each datagram once
              }
              if (err == null) {
                sent.incrementAndGet();
              } else if ("ENOBUFS".equals(err.code())
                  && "send".equals(err.syscall())
                  && err.getMessage().contains(where)) {
                refused.incrementAndGet();
                firstRefused.compareAndSet("-", HostAgent.error(err));
              } else {
                other.incrementAndGet();
                firstOther.compareAndSet("-", HostAgent.error(err));
              }
              done.countDown();
            });
      } catch (RuntimeException e) {
        thrown.incrementAndGet();
        firstOther.compareAndSet("-", "THROWN " + e);
        calls.incrementAndGet(seq);
        done.countDown();
      }
    }
    long sendNanos = System.nanoTime() - start;
    long queueAtEnd = s.getSendQueueSize();
    long directAtEnd = direct();
    // What the backlog holds on to, garbage collected away: the live heap, once a second while the
    // sends complete.
    long liveHeapPeak = 0;
    long waitDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    // First until the loop has caught up: every send no longer queued has called back (a refused
    // send holds its payload until its callback has run, as a send holds it until it is sent).
    long caughtUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (done.getCount() > s.getSendQueueCount() && System.nanoTime() < caughtUp) {
      Netns.sleep(5);
    }
    try {
      boolean finished = done.await(0, TimeUnit.MILLISECONDS);
      while (true) {
        System.gc();
        liveHeapPeak = Math.max(liveHeapPeak, heap());
        if (finished || System.nanoTime() > waitDeadline) {
          break;
        }
        finished = done.await(1_000, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((s.getSendQueueSize() != 0 || s.getSendQueueCount() != 0)
        && System.nanoTime() < deadline) {
      Netns.sleep(5);
    }
    long drainNanos = System.nanoTime() - start - sendNanos;
    sampler.stop();
    Netns.sleep(300); // a late second callback would show now
    int twice = 0;
    int missing = 0;
    for (int i = 0; i < count; i++) {
      int n = calls.get(i);
      if (n == 0) {
        missing++;
      } else if (n > 1) {
        twice++;
      }
    }
    System.gc();
    long heapAfter = heap();
    long directAfter = direct();
    SocketStats st = s.stats();

    Map<String, Object> f = new LinkedHashMap<>();
    f.put("issued", count);
    f.put("sent", sent.get());
    f.put("refused", refused.get());
    f.put("other", other.get());
    f.put("thrown", thrown.get());
    f.put("twice", twice);
    f.put("missing", missing);
    f.put("peakBytes", sampler.peakBytes.get());
    f.put("peakCount", sampler.peakCount.get());
    f.put("queueAtEnd", queueAtEnd);
    f.put("queueAfter", s.getSendQueueSize());
    f.put("countAfter", s.getSendQueueCount());
    f.put("sendMillis", TimeUnit.NANOSECONDS.toMillis(sendNanos));
    f.put("drainMillis", TimeUnit.NANOSECONDS.toMillis(drainNanos));
    f.put("heapBefore", heapBefore);
    f.put("liveHeapPeak", liveHeapPeak);
    f.put("heapAfter", heapAfter);
    f.put("heapSampledPeak", sampler.peakHeap.get());
    f.put("directBefore", directBefore);
    f.put("directAtEnd", directAtEnd);
    f.put("directPeak", sampler.peakDirect.get());
    f.put("directAfter", directAfter);
    f.put("statsSent", st.datagramsSent());
    f.put("statsErrors", st.sendErrors());
    f.put("statsRefused", st.sendQueueRefused());
    StringBuilder b = new StringBuilder();
    f.forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
    return b.append("| ")
        .append(firstRefused.get())
        .append(" | ")
        .append(firstOther.get())
        .toString();
  }

  /** Heap in use (without collecting first: the caller collects where it needs a live figure). */
  private static long heap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Direct memory Netty's default allocator (the channels' allocator) holds; -1 if unknown. */
  private static long direct() {
    ByteBufAllocator a = ByteBufAllocator.DEFAULT;
    if (a instanceof ByteBufAllocatorMetricProvider) {
      return ((ByteBufAllocatorMetricProvider) a).metric().usedDirectMemory();
    }
    return -1;
  }

  /** Reads the queue, heap and direct memory every {@value #SAMPLE_MILLIS} ms, keeping maxima. */
  private static final class Sampler implements Runnable {
    final AtomicLong peakBytes = new AtomicLong();
    final AtomicLong peakCount = new AtomicLong();
    final AtomicLong peakHeap = new AtomicLong();
    final AtomicLong peakDirect = new AtomicLong();
    private final DgramSocket socket;
    private final Thread thread = new Thread(this, "flood-sampler");
    private volatile boolean running = true;

    Sampler(DgramSocket socket) {
      this.socket = socket;
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() {
      running = false;
      try {
        thread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void run() {
      while (running) {
        peakBytes.accumulateAndGet(socket.getSendQueueSize(), Math::max);
        peakCount.accumulateAndGet(socket.getSendQueueCount(), Math::max);
        peakHeap.accumulateAndGet(heap(), Math::max);
        peakDirect.accumulateAndGet(direct(), Math::max);
        Netns.sleep(SAMPLE_MILLIS);
      }
    }
  }
}
