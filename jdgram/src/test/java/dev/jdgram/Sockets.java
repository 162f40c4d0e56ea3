package dev.jdgram;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jdgram.internal.Transports;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Small helpers for integration tests: bounded waits with messages, bound sockets, inboxes. */
final class Sockets {
  static final long WAIT_SECONDS = 5;

  private Sockets() {}

  /** Waits for a future, failing with {@code what} when it does not complete in time. */
  static <T> T await(CompletableFuture<T> f, String what) {
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return fail("timed out waiting for " + what);
    } catch (java.util.concurrent.ExecutionException e) {
      return fail(what + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted waiting for " + what);
    }
  }

  /**
   * Orders a "nothing else happened" check after every event already queued on the socket loop:
   * queues a marker on the loop and waits until it has run (STYLE.md: a barrier, not a sleep). An
   * event that the action queued on the loop before this call has been emitted, with its listeners
   * run, when this returns; so call it only once the action's consequence is known to be queued
   * (after the action's own 'close', 'error' or callback where the action completes elsewhere).
   *
   * <p>The marker goes to the loop that every socket shares unless created with {@code
   * ownEventLoop(true)} (Node's single loop); it outlives every socket, so the barrier also works
   * after close. Not for ownEventLoop sockets, whose loops tests cannot reach.
   */
  static void barrier(String what) {
    EventLoopGroup shared = Transports.loops().shared();
    Iterator<EventExecutor> loops = shared.iterator();
    EventExecutor loop = loops.next();
    if (loops.hasNext()) {
      fail("the shared group has more than one loop, so a barrier cannot order events: " + what);
    }
    CompletableFuture<Void> marker = new CompletableFuture<>();
    loop.execute(() -> marker.complete(null));
    await(marker, "the loop to run what was queued before: " + what);
  }

  /** Binds a socket to port 0 on the family's loopback address and waits for 'listening'. */
  static DgramSocket bound(String type) {
    DgramSocket s = Dgram.createSocket(type);
    CompletableFuture<Void> listening = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, listening::completeExceptionally);
    s.bind(0, loopback(type), () -> listening.complete(null));
    await(listening, "bind of " + type);
    s.removeAllListeners(DgramSocket.ERROR);
    return s;
  }

  static String loopback(String type) {
    return "udp6".equals(type) ? "::1" : "127.0.0.1";
  }

  /** Closes a socket and waits for 'close'. */
  static void closeAndWait(DgramSocket s) {
    await(s.closeAsync(), "close");
  }

  /** Binds an existing socket to port 0 on {@code address} and waits for 'listening'. */
  static DgramSocket bound(DgramSocket s, String address) {
    CompletableFuture<Void> listening = new CompletableFuture<>();
    ErrorListener onError = listening::completeExceptionally;
    s.on(DgramSocket.ERROR, onError);
    s.bind(0, address, () -> listening.complete(null));
    await(listening, "bind to " + address);
    s.off(DgramSocket.ERROR, onError);
    return s;
  }

  /** Closes every non-null socket, then waits for each 'close'; closes all even if one fails. */
  static void closeAll(DgramSocket... sockets) {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (DgramSocket s : sockets) {
      if (s != null) {
        closing.add(s.closeAsync());
      }
    }
    for (CompletableFuture<Void> f : closing) {
      await(f, "close");
    }
  }

  /** A send callback that records its outcome and the thread it ran on. */
  static final class Sent implements SendCallback {
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    volatile Thread thread;

    @Override
    public void done(DgramException err, int bytes) {
      thread = Thread.currentThread();
      if (err != null) {
        done.completeExceptionally(err);
      } else {
        done.complete(bytes);
      }
    }

    /** Waits for success and returns the byte count the callback got. */
    int bytes(String what) {
      return await(done, what);
    }

    /** Waits for the callback and returns its error, failing if it succeeded. */
    DgramException error(String what) {
      try {
        Integer n = done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        return fail(what + ": expected an error, the send succeeded with " + n + " bytes");
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof DgramException) {
          return (DgramException) e.getCause();
        }
        return fail(what + ": not a DgramException: " + e.getCause(), e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        return fail("timed out waiting for the callback of " + what);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted");
      }
    }
  }

  /** Records the first 'error' a socket emits. */
  static CompletableFuture<DgramException> firstError(DgramSocket s) {
    CompletableFuture<DgramException> error = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, error::complete);
    return error;
  }

  /** The transport under test: the {@code dev.jdgram.transport} property, {@code auto} if unset. */
  static String transport() {
    String t = System.getProperty("dev.jdgram.transport");
    return t == null || t.isEmpty() ? "auto" : t;
  }

  /** Whether this run uses the Java NIO transport (the surefire execution {@code nio}). */
  static boolean nio() {
    return "nio".equals(transport());
  }

  /**
   * Waits until something reaches the uncaught-exception handlers and takes it all, failing with
   * {@code what} when nothing arrives in time.
   */
  static List<Throwable> awaitUncaught(String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      List<Throwable> got = LeakCheck.takeUncaught();
      if (!got.isEmpty()) {
        return got;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted waiting for " + what);
      }
    }
    return fail("nothing reached the uncaught-exception handler: " + what);
  }

  /**
   * A future that completes with the socket's address on 'listening' and fails on 'error'; the
   * listeners are registered before it returns, so call it before bind.
   */
  static CompletableFuture<AddressInfo> listening(DgramSocket s) {
    CompletableFuture<AddressInfo> f = new CompletableFuture<>();
    s.on(DgramSocket.ERROR, f::completeExceptionally);
    s.on(DgramSocket.LISTENING, () -> f.complete(s.address()));
    return f;
  }

  /** Records every datagram a socket receives. */
  static final class Inbox {
    final BlockingQueue<Received> queue = new ArrayBlockingQueue<>(10_000);

    Inbox(DgramSocket s) {
      s.on(DgramSocket.MESSAGE, (msg, rinfo) -> queue.add(new Received(msg, rinfo)));
    }

    Received next(String what) {
      try {
        Received r = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (r == null) {
          fail("no datagram arrived: " + what);
        }
        return r;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted");
      }
    }

    /** Datagrams that {@link #next(String, String)} passed over, oldest first. */
    private final List<Received> passedOver = new ArrayList<>();

    /**
     * Waits for the oldest datagram whose payload starts with {@code tag}. Others are kept for
     * later calls (and {@link #expectNone}), so datagrams from several senders, whose relative
     * order nothing promises, can be taken in any order, and stray ones are tolerated.
     */
    Received next(String tag, String what) {
      byte[] prefix = tag.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      synchronized (passedOver) {
        for (int i = 0; i < passedOver.size(); i++) {
          if (passedOver.get(i).startsWith(prefix)) {
            return passedOver.remove(i);
          }
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      try {
        while (true) {
          long left = deadline - System.nanoTime();
          Received r = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
          if (r == null) {
            return fail("no datagram tagged '" + tag + "' arrived: " + what);
          }
          if (r.startsWith(prefix)) {
            return r;
          }
          synchronized (passedOver) {
            passedOver.add(r);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted");
      }
    }

    /**
     * Fails if a datagram starting with {@code tag} has arrived or arrives within {@code millis} (a
     * bounded wait to show that something does not arrive).
     */
    void expectNone(String tag, long millis, String what) {
      byte[] prefix = tag.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      synchronized (passedOver) {
        for (Received r : passedOver) {
          if (r.startsWith(prefix)) {
            fail(what + ": unexpected datagram '" + r.text() + "' from " + r.rinfo);
          }
        }
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      try {
        while (true) {
          long left = deadline - System.nanoTime();
          Received r = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
          if (r == null) {
            return;
          }
          if (r.startsWith(prefix)) {
            fail(what + ": unexpected datagram '" + r.text() + "' from " + r.rinfo);
          }
          synchronized (passedOver) {
            passedOver.add(r);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }

    List<Received> drain() {
      List<Received> out = new ArrayList<>();
      queue.drainTo(out);
      return out;
    }
  }

  /** One received datagram. */
  static final class Received {
    final byte[] msg;
    final RemoteInfo rinfo;

    Received(byte[] msg, RemoteInfo rinfo) {
      this.msg = msg;
      this.rinfo = rinfo;
    }

    boolean startsWith(byte[] prefix) {
      if (msg.length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (msg[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    String text() {
      return new String(msg, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** A lookup that resolves IP literals without DNS and fails every other name. */
  static java.util.concurrent.CompletionStage<java.net.InetAddress> literalsOnly(
      String host, int family) {
    CompletableFuture<java.net.InetAddress> f = new CompletableFuture<>();
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        f.complete(java.net.InetAddress.getByName(host)); // an IP literal: no DNS
      } catch (java.net.UnknownHostException e) {
        f.completeExceptionally(e);
      }
    } else {
      f.completeExceptionally(new java.net.UnknownHostException(host));
    }
    return f;
  }

  /** The UTF-8 bytes of a string. */
  static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The all-interfaces address of a socket type, as Node reports it. */
  static String any(String type) {
    return "udp6".equals(type) ? "::" : "0.0.0.0";
  }

  /** Node's family name for a socket type. */
  static String family(String type) {
    return "udp6".equals(type) ? "IPv6" : "IPv4";
  }

  /** Asserts that {@code call} throws a DgramException with Node's code and message. */
  static void assertError(
      String code, String message, org.junit.jupiter.api.function.Executable call) {
    DgramException e = org.junit.jupiter.api.Assertions.assertThrows(DgramException.class, call);
    org.junit.jupiter.api.Assertions.assertEquals(code, e.code(), "code");
    org.junit.jupiter.api.Assertions.assertEquals(message, e.getMessage(), "message");
  }

  /** As {@link #assertError(String, String, org.junit.jupiter.api.function.Executable)}, named. */
  static void assertError(
      String code, String message, org.junit.jupiter.api.function.Executable call, String what) {
    DgramException e =
        org.junit.jupiter.api.Assertions.assertThrows(DgramException.class, call, what);
    org.junit.jupiter.api.Assertions.assertEquals(code, e.code(), what);
    org.junit.jupiter.api.Assertions.assertEquals(message, e.getMessage(), what);
  }
}
