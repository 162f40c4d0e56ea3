package dev.jdgram.bench.subject;

import java.nio.ByteBuffer;

/**
 * The transport-neutral part of a ping-pong client: one datagram in flight carrying a sequence
 * number, a warm-up, then {@code count} measured round trips. A reply whose sequence number is not
 * the one in flight is ignored; a round trip that has not come back within {@link #RESEND_MS} is
 * sent again, counted as lost and not measured. Methods run on the subject's loop thread, except
 * {@link #checkStalled()} (a watchdog thread, which only resends).
 */
final class PingClient {
  static final long RESEND_MS = 200;

  /** Sends the datagram for a sequence number; any thread. */
  interface Sender {
    void send(byte[] payload);
  }

  private final int warmup;
  private final int count;
  private final int size;
  private final Sender sender;
  private final Latencies latencies;
  private volatile long seq;
  private volatile long sentAt;
  private volatile boolean resent;
  private volatile long lost;
  private long lastSeenSeq = -1;

  PingClient(int warmup, int count, int size, Sender sender) {
    this.warmup = warmup;
    this.count = count;
    this.size = Math.max(8, size);
    this.sender = sender;
    this.latencies = new Latencies(count);
  }

  void start() {
    sendCurrent();
  }

  /** A reply arrived; loop thread. */
  void onReply(byte[] msg) {
    if (msg.length < 8 || ByteBuffer.wrap(msg).getLong(0) != seq) {
      return;
    }
    long rtt = System.nanoTime() - sentAt;
    if (seq >= warmup && !resent) {
      latencies.add(rtt);
    }
    long next = seq + 1;
    if (next >= (long) warmup + count) {
      Control.result(latencies.summary(lost));
      Runtime.getRuntime().halt(0);
    }
    seq = next;
    resent = false;
    sendCurrent();
  }

  /** Watchdog: resends the round trip in flight if it has not moved for a while. */
  void checkStalled() {
    long s = seq;
    if (s == lastSeenSeq) {
      lost++;
      resent = true;
      sendCurrent();
    }
    lastSeenSeq = s;
  }

  private void sendCurrent() {
    byte[] payload = new byte[size];
    ByteBuffer.wrap(payload).putLong(0, seq);
    sentAt = System.nanoTime();
    sender.send(payload);
  }

  /** Starts a daemon watchdog thread that calls {@link #checkStalled()}. */
  void startWatchdog() {
    Thread t =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(RESEND_MS);
                } catch (InterruptedException e) {
                  return;
                }
                checkStalled();
              }
            },
            "bench-ping-watchdog");
    t.setDaemon(true);
    t.start();
  }
}
