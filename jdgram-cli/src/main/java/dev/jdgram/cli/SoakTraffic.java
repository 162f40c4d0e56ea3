package dev.jdgram.cli;

import dev.jdgram.AddressInfo;
import dev.jdgram.Callback;
import dev.jdgram.Dgram;
import dev.jdgram.DgramException;
import dev.jdgram.DgramSocket;
import dev.jdgram.SendCallback;
import dev.jdgram.SocketOptions;
import dev.jdgram.SocketStats;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's bookkeeping, shared by its workloads ({@link SoakWorkloads}): every socket it opens,
 * the totals of the ones it closed, and the counts of what must never happen (a callback that came
 * back twice, an exception that is not a {@link DgramException}, a datagram delivered twice) and of
 * what may happen under load but is worth reporting (a wait that timed out, an {@code 'error'}).
 *
 * <p>Threading: safe from any thread; the workloads' threads and the sockets' event loops both
 * write here.
 */
final class SoakTraffic {
  /** How long a workload waits for one step (a bind, an echo, a close) before counting a stall. */
  static final long STEP_TIMEOUT_MILLIS = 5_000;

  /** The first bytes of every datagram the soak sends, so strays from elsewhere are ignored. */
  static final long MAGIC = 0x6a6467_72616d53L; // "jdgramS"

  private static final int NOTES = 5;

  private final PrintStream err;
  private final Set<DgramSocket> live = ConcurrentHashMap.newKeySet();
  private final LongAdder opened = new LongAdder();
  private final LongAdder closedSent = new LongAdder();
  private final LongAdder closedReceived = new LongAdder();
  private final LongAdder closedSendErrors = new LongAdder();
  private final LongAdder closedKernelDrops = new LongAdder();
  final LongAdder doubleCallbacks = new LongAdder();
  final LongAdder foreignErrors = new LongAdder();
  final LongAdder uncaught = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder stalls = new LongAdder();
  final LongAdder errorEvents = new LongAdder();
  final LongAdder unexpectedErrors = new LongAdder();
  final LongAdder echoesSent = new LongAdder();
  final LongAdder echoesBack = new LongAdder();
  final LongAdder lookupsFailedAsExpected = new LongAdder();
  final LongAdder connects = new LongAdder();
  final LongAdder memberships = new LongAdder();
  final LongAdder multicastMisses = new LongAdder();
  private final AtomicInteger notes = new AtomicInteger();
  private final AtomicLong nextSeq = new AtomicLong();

  SoakTraffic(PrintStream err) {
    this.err = err;
  }

  /** Creates a socket that the soak keeps count of until its {@code 'close'}. */
  DgramSocket open(SocketOptions options) {
    DgramSocket socket = Dgram.createSocket(options);
    live.add(socket);
    opened.increment();
    socket.on(
        DgramSocket.ERROR,
        e -> {
          errorEvents.increment();
          note("'error' on " + socket.type() + ": " + e);
        });
    socket.on(
        DgramSocket.CLOSE,
        () -> {
          SocketStats s = socket.stats();
          closedSent.add(s.datagramsSent());
          closedReceived.add(s.datagramsReceived());
          closedSendErrors.add(s.sendErrors());
          closedKernelDrops.add(Math.max(0, s.kernelDrops()));
          live.remove(socket);
        });
    return socket;
  }

  /** The sockets opened and not yet closed. */
  int liveSockets() {
    return live.size();
  }

  /** How many sockets the soak has opened. */
  long opened() {
    return opened.sum();
  }

  /**
   * Datagrams sent, received, failed sends and datagrams the kernel dropped (where it says), over
   * every socket the soak opened.
   */
  long[] totals() {
    long sent = closedSent.sum();
    long received = closedReceived.sum();
    long errors = closedSendErrors.sum();
    long drops = closedKernelDrops.sum();
    for (DgramSocket socket : List.copyOf(live)) {
      SocketStats s = socket.stats();
      sent += s.datagramsSent();
      received += s.datagramsReceived();
      errors += s.sendErrors();
      drops += Math.max(0, s.kernelDrops());
    }
    return new long[] {sent, received, errors, drops};
  }

  /** Waits up to a second for the echoes still on their way, so they do not count as lost. */
  void awaitEchoes() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (echoesBack.sum() < echoesSent.sum() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** Closes every socket still open and waits for their {@code 'close'}; false if some stayed. */
  boolean closeAll() {
    List<CompletableFuture<Void>> closes = new ArrayList<>();
    for (DgramSocket socket : List.copyOf(live)) {
      closes.add(socket.closeAsync());
    }
    for (CompletableFuture<Void> close : closes) {
      await(close, "close at the end");
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MILLIS);
    while (!live.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return live.isEmpty();
  }

  /** A fresh sequence-numbered payload of 16 to 80 bytes: magic, sequence number, padding. */
  byte[] payload(long seq) {
    ByteBuffer b = ByteBuffer.allocate(16 + (int) (seq % 65));
    b.putLong(MAGIC).putLong(seq);
    return b.array();
  }

  /** A sequence number no other datagram of this soak carries. */
  long nextSeq() {
    return nextSeq.incrementAndGet();
  }

  /** The sequence number of a soak datagram, or -1 for a stray. */
  static long seqOf(byte[] msg) {
    if (msg.length < 16) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(msg);
    return b.getLong() == MAGIC ? b.getLong() : -1;
  }

  /** Wraps a send callback so that a second call is counted instead of run. */
  SendCallback once(String what, SendCallback callback) {
    AtomicBoolean called = new AtomicBoolean();
    return (e, bytes) -> {
      if (!called.compareAndSet(false, true)) {
        doubleCallbacks.increment();
        note("send callback called twice: " + what);
        return;
      }
      callback.done(e, bytes);
    };
  }

  /** Wraps a connect callback so that a second call is counted instead of run. */
  Callback once(String what, Callback callback) {
    AtomicBoolean called = new AtomicBoolean();
    return e -> {
      if (!called.compareAndSet(false, true)) {
        doubleCallbacks.increment();
        note("connect callback called twice: " + what);
        return;
      }
      callback.done(e);
    };
  }

  /** Wraps a bind or close callback so that a second call is counted instead of run. */
  Runnable once(String what, Runnable callback) {
    AtomicBoolean called = new AtomicBoolean();
    return () -> {
      if (!called.compareAndSet(false, true)) {
        doubleCallbacks.increment();
        note("callback called twice: " + what);
        return;
      }
      callback.run();
    };
  }

  /** A send callback that completes {@code done}, counting an error that was not expected. */
  SendCallback sent(String what, CompletableFuture<Void> done) {
    return once(
        what,
        (e, bytes) -> {
          if (e != null) {
            unexpected(what, e);
          }
          done.complete(null);
        });
  }

  /** Binds {@code socket} to port 0 of {@code address} and waits for {@code 'listening'}. */
  AddressInfo bind(DgramSocket socket, String address) {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    socket.bind(0, address, once("bind", () -> listening.complete(null)));
    return await(listening, "bind") ? socket.address() : null;
  }

  /**
   * Waits for {@code step} for at most {@link #STEP_TIMEOUT_MILLIS}; a timeout counts a stall.
   *
   * @return whether it completed
   */
  boolean await(CompletableFuture<?> step, String what) {
    try {
      step.get(STEP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      stalls.increment();
      note("no " + what + " within " + STEP_TIMEOUT_MILLIS + " ms");
      return false;
    } catch (ExecutionException e) {
      failed(what, e.getCause());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Counts an error that a workload did not expect: a DgramException, or worse. */
  void failed(String what, Throwable e) {
    if (e instanceof DgramException d) {
      unexpected(what, d);
    } else {
      foreignErrors.increment();
      note(what + " failed with a " + e.getClass().getName() + " (not a DgramException): " + e);
    }
  }

  /** Counts a DgramException that a workload did not expect. */
  void unexpected(String what, DgramException e) {
    unexpectedErrors.increment();
    note(what + ": " + e.code() + " " + e.getMessage());
  }

  /** Counts an exception that reached an uncaught-exception handler. */
  void uncaught(Thread thread, Throwable e) {
    uncaught.increment();
    note("uncaught in " + thread.getName() + ": " + e);
  }

  /** Prints the first few notes, so a failing soak says what happened without flooding. */
  void note(String text) {
    if (notes.incrementAndGet() <= NOTES) {
      err.println("soak: " + text);
    } else if (notes.get() == NOTES + 1) {
      err.println("soak: (further notes left out)");
    }
  }
}
