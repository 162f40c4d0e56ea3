package dev.jdgram.netns;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The checksummed datagrams of a burst, the same in Java and in {@code src/test/node/agent.js}:
 * {@value #SIZE} bytes, a big-endian 32-bit sequence number, a payload that depends on it ({@code
 * (seq * 31 + i * 7) & 0xff} at payload offset {@code i}), and the SHA-256 of all that.
 *
 * <p>A {@link Tally} counts what a receiver got: valid datagrams by sequence number (so losses and
 * duplicates show), and corrupted ones (wrong size or digest).
 */
final class Burst {
  static final int SIZE = 512;

  /** Datagrams in a burst. */
  static final int COUNT = 10_000;

  /** Datagrams sent back to back, then {@link #PAUSE_MILLIS} of rest: 10,000 per second. */
  static final int BATCH = 50;

  static final int PAUSE_MILLIS = 5;

  /** SO_RCVBUF asked for by receivers (Linux caps it at net.core.rmem_max, then doubles it). */
  static final int BUFFER = 4 << 20;

  private static final int DIGEST = 32;
  private static final int PAYLOAD = SIZE - 4 - DIGEST;

  private Burst() {}

  /** Datagram {@code seq} of a burst. */
  static byte[] datagram(int seq) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(seq);
    for (int i = 0; i < PAYLOAD; i++) {
      b.put((byte) (seq * 31 + i * 7));
    }
    b.put(sha256(b.array(), 0, SIZE - DIGEST));
    return b.array();
  }

  private static byte[] sha256(byte[] data, int offset, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, offset, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a receiver got from one burst. Thread-safe. */
  static final class Tally {
    private final BitSet seen = new BitSet();
    private int received;
    private int corrupt;
    private int duplicates;
    private int late;
    private int highest = -1;

    /** Counts one received datagram. */
    synchronized void add(byte[] msg) {
      received++;
      if (msg.length != SIZE) {
        corrupt++;
        return;
      }
      int seq = ByteBuffer.wrap(msg).getInt();
      boolean ok =
          seq >= 0
              && Arrays.equals(sha256(msg, 0, SIZE - DIGEST), 0, DIGEST, msg, SIZE - DIGEST, SIZE)
              && Arrays.equals(datagram(seq), msg);
      if (!ok) {
        corrupt++;
      } else if (seen.get(seq)) {
        duplicates++;
      } else {
        seen.set(seq);
        if (seq < highest) {
          late++;
        }
        highest = Math.max(highest, seq);
      }
    }

    /**
     * Valid datagrams that arrived, for the first time, after one with a higher sequence number:
     * how many the network reordered (a duplicate copy is never counted).
     */
    synchronized int late() {
      return late;
    }

    /** {@code received valid corrupt duplicates}, as the agents report it. */
    synchronized String summary() {
      return received + " " + seen.cardinality() + " " + corrupt + " " + duplicates;
    }

    /** The first sequence number below {@code count} not received, or -1. */
    synchronized int firstMissing(int count) {
      int m = seen.nextClearBit(0);
      return m < count ? m : -1;
    }
  }
}
