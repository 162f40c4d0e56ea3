package dev.jdgram.internal;

import dev.jdgram.DgramException;
import dev.jdgram.SendCallback;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code sendMany}: how its datagrams are written, and its one callback.
 *
 * <p>Runs of equal-size datagrams become UDP GSO writes where the transport has them (one sendmsg,
 * cut into datagrams by the kernel, at most {@link #MAX_SEGMENTS} and one maximum payload each);
 * the rest are single datagrams, which one drain flushes together (sendmmsg on epoll). The callback
 * runs once, after the last write completes: with the total bytes, or with the first error.
 */
final class Batch {
  /** The kernel's UDP_MAX_SEGMENTS on every kernel with UDP GSO (later ones allow more). */
  static final int MAX_SEGMENTS = 64;

  private final SocketEvents events;
  private final SendCallback callback;
  private int remaining;
  private int bytes;
  private DgramException error;
  private boolean quiet = true;

  private Batch(SocketEvents events, SendCallback callback) {
    this.events = events;
    this.callback = callback;
  }

  /**
   * Plans the writes of a batch of datagrams (each a byte[] or ByteBuffer).
   *
   * @param gso whether the transport can send GSO writes
   * @param maxPayload the largest datagram of the socket's family
   */
  static List<SendOp> plan(
      Object[] datagrams,
      boolean gso,
      int maxPayload,
      String host,
      int port,
      SocketEvents events,
      SendCallback callback) {
    Batch batch = new Batch(events, callback);
    List<SendOp> ops = new ArrayList<>();
    int n = datagrams.length;
    int segment = n > 1 ? length(datagrams[0]) : 0;
    int perWrite = segment > 0 ? Math.min(MAX_SEGMENTS, maxPayload / segment) : 0;
    int i = 0;
    while (i < n) {
      int run =
          gso && perWrite > 1 ? equalRun(datagrams, i, Math.min(n, i + perWrite), segment) : 0;
      if (run > 1) {
        int total = 0;
        for (int j = i; j < i + run; j++) {
          total += length(datagrams[j]);
        }
        Object[] parts = Arrays.copyOfRange(datagrams, i, i + run);
        ops.add(SendOp.segmented(parts, segment, total, host, port, batch));
        i += run;
      } else {
        ops.add(SendOp.single(datagrams[i], host, port, batch));
        i++;
      }
    }
    batch.remaining = ops.size();
    return ops;
  }

  /**
   * How many datagrams from {@code from} (before {@code to}) can share one GSO write: all of {@code
   * segment} bytes, except that the last may be shorter (but not empty).
   */
  private static int equalRun(Object[] datagrams, int from, int to, int segment) {
    int j = from;
    while (j < to && length(datagrams[j]) == segment) {
      j++;
    }
    if (j < to && j > from) {
      int last = length(datagrams[j]);
      if (last > 0 && last < segment) {
        j++;
      }
    }
    return j - from;
  }

  private static int length(Object datagram) {
    return datagram instanceof byte[]
        ? ((byte[]) datagram).length
        : ((ByteBuffer) datagram).remaining();
  }

  /** A write of this batch went out. */
  void completed(int n) {
    boolean last;
    synchronized (this) {
      bytes += n;
      last = --remaining == 0;
    }
    if (last) {
      finish();
    }
  }

  /**
   * A write of this batch failed; the first error is the batch's. {@code quiet} as in {@link
   * SendQueue#failed}: an abandoned write has its own event already.
   */
  void failed(DgramException err, boolean quietWithoutCallback) {
    boolean last;
    synchronized (this) {
      if (error == null) {
        error = err;
        quiet = quietWithoutCallback;
      }
      last = --remaining == 0;
    }
    if (last) {
      finish();
    }
  }

  /** Runs once, after the last write, with no lock held. */
  private void finish() {
    DgramException err;
    synchronized (this) {
      err = error;
    }
    if (err == null) {
      if (callback != null) {
        SendQueue.invoke(callback, null, bytes);
      }
    } else if (callback != null) {
      SendQueue.invoke(callback, err, 0);
    } else if (!quiet) {
      events.error(err);
    }
  }
}
