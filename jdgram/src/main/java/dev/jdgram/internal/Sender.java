package dev.jdgram.internal;

import dev.jdgram.SendCallback;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Node's send (and jdgram's sendMany) once the arguments are checked: each call becomes one or more
 * {@link SendOp}s, counted against the queue limits, given their destination when it is a literal
 * (no lookup), and queued behind what was sent before, binding an unbound socket first. Any thread.
 */
final class Sender {
  private final SocketState state;
  private final Binder binder;
  private final SendQueue queue;
  private final SocketCounters counters;
  private final SocketEvents events;
  private final Transport transport;
  private final EventLoop loop;
  private final boolean udp6;
  private final boolean defaultLookup;
  private final LiteralCache literals = new LiteralCache();

  Sender(
      SocketState state,
      Binder binder,
      SendQueue queue,
      SocketCounters counters,
      SocketEvents events,
      Transport transport,
      EventLoop loop,
      boolean udp6,
      boolean defaultLookup) {
    this.state = state;
    this.binder = binder;
    this.queue = queue;
    this.counters = counters;
    this.events = events;
    this.transport = transport;
    this.loop = loop;
    this.udp6 = udp6;
    this.defaultLookup = defaultLookup;
  }

  /**
   * Node's send after argument checks. {@code host} is null for a connected send; {@code array} or
   * {@code buffer} holds the bytes.
   */
  void send(
      byte[] array,
      int offset,
      int length,
      ByteBuffer buffer,
      boolean connectedSend,
      int port,
      String host,
      SendCallback callback) {
    String dest = connectedSend ? null : Addresses.destination(host, udp6);
    SendOp op = new SendOp(array, offset, length, buffer, dest, port, callback);
    InetSocketAddress literal = literal(dest, port);
    if (literal != null) {
      op.knownDestination(literal);
    }
    enqueue(op, null);
  }

  /**
   * jdgram's sendMany after argument checks: each of {@code datagrams} (a byte[] or ByteBuffer) is
   * one datagram, with UDP GSO for runs of equal size where the transport has it; the callback runs
   * once. {@code host} is null for a connected send.
   */
  void sendMany(
      Object[] datagrams, boolean connectedSend, int port, String host, SendCallback callback) {
    String dest = connectedSend ? null : Addresses.destination(host, udp6);
    if (datagrams.length == 0) {
      state.requireRunning();
      if (callback != null) {
        loop.execute(() -> SendQueue.invoke(callback, null, 0));
      }
      return;
    }
    List<SendOp> ops =
        Batch.plan(
            datagrams, transport.supportsGso(), queue.maxPayload(), dest, port, events, callback);
    InetSocketAddress literal = literal(dest, port);
    SendOp first = ops.get(0);
    for (SendOp op : ops) {
      if (literal != null) {
        op.knownDestination(literal);
      } else if (op != first) {
        op.sharesLookupWith(first); // one lookup for the whole batch
      }
    }
    enqueue(null, ops);
  }

  /** The destination of a literal host with the default lookup, from the cache; or null. */
  private InetSocketAddress literal(String dest, int port) {
    return dest != null && defaultLookup ? literals.destination(dest, port) : null;
  }

  /** Queues one write, or the writes of a batch, binding first if unbound. */
  private void enqueue(SendOp one, List<SendOp> many) {
    state.requireRunning();
    if (!admit(one, many)) {
      return;
    }
    // Under the state's lock, so a send either finds the socket closed (and throws, as Node) or is
    // queued before close() marks it closed, where the close fails or sends it before 'close':
    // never a callback after 'close'. The lock also orders it against a failing bind.
    synchronized (state) {
      if (state.isClosed()) {
        queue.refund(one != null ? List.of(one) : many);
        throw NodeErrors.notRunning();
      }
      if (state.beginImplicitBind()) {
        binder.bindImplicitly();
      }
      offer(one, many);
    }
    queue.schedule();
  }

  private void offer(SendOp one, List<SendOp> many) {
    if (one != null) {
      queue.offer(one);
      return;
    }
    for (SendOp op : many) {
      queue.offer(op);
    }
  }

  /** Counts the writes as queued; false, with the refusal on its way to the loop, past a limit. */
  private boolean admit(SendOp one, List<SendOp> many) {
    int datagrams = 0;
    long bytes = 0;
    if (one != null) { // the common case: no list on the send path
      datagrams = one.datagrams;
      bytes = one.length;
    } else {
      for (SendOp op : many) {
        datagrams += op.datagrams;
        bytes += op.length;
      }
    }
    if (queue.tryCount(datagrams, bytes)) {
      return true;
    }
    counters.queueRefused(datagrams);
    List<SendOp> refused = one != null ? List.of(one) : many;
    loop.execute(() -> queue.refusedOnLoop(refused));
    return false;
  }
}
