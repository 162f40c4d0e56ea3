package dev.jdgram.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A socket's counters for {@code stats()}. The receive and send paths count on the loop thread
 * only, with opaque writes: one writer, no fence, as cheap as a plain field on the hot path, and
 * any reader still sees a recent value. Sends refused on the caller's thread (the queue limit)
 * count atomically.
 */
final class SocketCounters {
  private static final VarHandle RECEIVED;
  private static final VarHandle RECEIVED_BYTES;
  private static final VarHandle SENT;
  private static final VarHandle SENT_BYTES;
  private static final VarHandle SEND_ERRORS;
  private static final VarHandle SEND_BLOCKED;
  private static final VarHandle RECEIVE_BLOCKED;
  private static final VarHandle QUEUE_REFUSED;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      RECEIVED = l.findVarHandle(SocketCounters.class, "received", long.class);
      RECEIVED_BYTES = l.findVarHandle(SocketCounters.class, "receivedBytes", long.class);
      SENT = l.findVarHandle(SocketCounters.class, "sent", long.class);
      SENT_BYTES = l.findVarHandle(SocketCounters.class, "sentBytes", long.class);
      SEND_ERRORS = l.findVarHandle(SocketCounters.class, "sendErrors", long.class);
      SEND_BLOCKED = l.findVarHandle(SocketCounters.class, "sendBlocked", long.class);
      RECEIVE_BLOCKED = l.findVarHandle(SocketCounters.class, "receiveBlocked", long.class);
      QUEUE_REFUSED = l.findVarHandle(SocketCounters.class, "queueRefused", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private long received;
  private long receivedBytes;
  private long sent;
  private long sentBytes;
  private long sendErrors;
  private long sendBlocked;
  private long receiveBlocked;
  private long queueRefused;

  /** A datagram was emitted as 'message'; loop thread. */
  void receivedOnLoop(int bytes) {
    RECEIVED.setOpaque(this, received + 1);
    RECEIVED_BYTES.setOpaque(this, receivedBytes + bytes);
  }

  /** A datagram from a blocked sender was dropped; loop thread. */
  void receiveBlockedOnLoop() {
    RECEIVE_BLOCKED.setOpaque(this, receiveBlocked + 1);
  }

  /** The kernel accepted {@code datagrams} datagrams of {@code bytes} bytes; loop thread. */
  void sentOnLoop(int datagrams, int bytes) {
    SENT.setOpaque(this, sent + datagrams);
    SENT_BYTES.setOpaque(this, sentBytes + bytes);
  }

  /** {@code datagrams} datagrams failed to send; loop thread. */
  void sendFailedOnLoop(int datagrams, boolean blocked) {
    SEND_ERRORS.setOpaque(this, sendErrors + datagrams);
    if (blocked) {
      SEND_BLOCKED.setOpaque(this, sendBlocked + datagrams);
    }
  }

  /** A send was refused at once by the queue limit; any thread. */
  void queueRefused(int datagrams) {
    QUEUE_REFUSED.getAndAdd(this, (long) datagrams);
  }

  long received() {
    return (long) RECEIVED.getOpaque(this);
  }

  long receivedBytes() {
    return (long) RECEIVED_BYTES.getOpaque(this);
  }

  long sent() {
    return (long) SENT.getOpaque(this);
  }

  long sentBytes() {
    return (long) SENT_BYTES.getOpaque(this);
  }

  long sendErrors() {
    return (long) SEND_ERRORS.getOpaque(this) + queueRefused();
  }

  long sendBlocked() {
    return (long) SEND_BLOCKED.getOpaque(this);
  }

  long receiveBlocked() {
    return (long) RECEIVE_BLOCKED.getOpaque(this);
  }

  long queueRefused() {
    return (long) QUEUE_REFUSED.getVolatile(this);
  }
}
