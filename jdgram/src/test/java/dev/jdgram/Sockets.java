package dev.jdgram;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
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

    String text() {
      return new String(msg, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
