package dev.jdgram.internal;

import dev.jdgram.BlockList;
import dev.jdgram.DgramException;
import dev.jdgram.SendCallback;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A socket's sends and connects in call order. Any thread may add; the loop drains: every operation
 * whose destination is known runs, in order, until one waits for a lookup, and the writes of one
 * drain are flushed together (Netty's epoll transport sends them with one sendmmsg). Also counts
 * what is queued, for getSendQueueCount/Size.
 */
final class SendQueue {
  /** The largest UDP payloads: 65,535 less the UDP and IPv4 headers; for IPv6, less UDP's only. */
  static final int MAX_UDP4_PAYLOAD = 65_507;

  static final int MAX_UDP6_PAYLOAD = 65_527;

  /**
   * Writes between two flushes: each flush is one sendmmsg (epoll), and bounds what waits in
   * Netty's outbound buffer (a copy of each payload) to this many datagrams.
   */
  static final int WRITES_PER_FLUSH = 256;

  /**
   * Operations one drain runs before it yields the loop, so that a sender calling send() faster
   * than the loop writes still sees its sends complete, and reads are not starved.
   */
  static final int OPS_PER_DRAIN = 1024;

  /**
   * Whether consecutive sends may be joined into GSO writes ({@link Coalesced}) where the transport
   * has UDP GSO: unless the system property {@code dev.jdgram.coalesceSends} is {@code false}.
   */
  static final boolean COALESCE_SENDS =
      !"false".equalsIgnoreCase(System.getProperty("dev.jdgram.coalesceSends"));

  private final SocketCore core;
  private final SocketEvents events;
  private final Resolver resolver;
  private final EventLoop loop;
  private final boolean udp6;
  private final BlockList sendBlockList;
  private final SocketCounters counters;
  private final long limitBytes;
  private final int limitCount;
  private final Queue<Op> ops = PlatformDependent.newMpscQueue();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final Runnable drainTask = this::drainOnLoop;

  /** The newest write handed to Netty; loop thread. */
  private ChannelFuture lastWrite;

  /** Whether this socket joins sends: 0 not known yet, 1 yes, -1 no; loop thread. */
  private int coalesce;

  /** A joined write that Netty has not completed yet; the drain waits for it. Loop thread. */
  private Coalesced pendingJoined;

  /** Whether {@link #drainOnLoop} is running; loop thread. */
  private boolean draining;

  /** Datagrams sent in joined writes, for tests and diagnostics; written on the loop only. */
  private volatile long coalescedDatagrams;

  SendQueue(
      SocketCore core,
      SocketEvents events,
      Resolver resolver,
      EventLoop loop,
      boolean udp6,
      BlockList sendBlockList,
      SocketCounters counters,
      long limitBytes,
      int limitCount) {
    this.counters = counters;
    this.limitBytes = limitBytes;
    this.limitCount = limitCount;
    this.core = core;
    this.events = events;
    this.resolver = resolver;
    this.loop = loop;
    this.udp6 = udp6;
    this.sendBlockList = sendBlockList;
  }

  /**
   * Counts sends as queued from the moment send() accepts them, unless that would take the queue
   * past its limits ({@code sendQueueLimit}, {@code sendQueueCountLimit}); any thread.
   *
   * @return false if refused: nothing was counted
   */
  boolean tryCount(int datagrams, long length) {
    if (limitBytes == Long.MAX_VALUE && limitCount == Integer.MAX_VALUE) {
      count.addAndGet(datagrams);
      bytes.addAndGet(length);
      return true;
    }
    long b;
    do {
      b = bytes.get();
      if (b + length > limitBytes) {
        return false;
      }
    } while (!bytes.compareAndSet(b, b + length));
    int c;
    do {
      c = count.get();
      if (c + datagrams > limitCount) {
        bytes.addAndGet(-length);
        return false;
      }
    } while (!count.compareAndSet(c, c + datagrams));
    return true;
  }

  /** Takes back the count of sends that were admitted but never queued; any thread. */
  void refund(List<SendOp> ops) {
    for (SendOp op : ops) {
      uncounted(op);
    }
  }

  /**
   * Fails sends that the queue limit refused, each once: ENOBUFS to the callback, or 'error'. They
   * were never counted as queued; {@code stats()} counts them as refused.
   */
  void refusedOnLoop(List<SendOp> refused) {
    assert loop.inEventLoop();
    for (SendOp op : refused) {
      DgramException err = sendError(Errno.ENOBUFS, op, null);
      if (op.batch != null) {
        op.batch.failed(err, false);
      } else if (op.callback != null) {
        invoke(op.callback, err, 0);
      } else {
        events.error(err);
      }
    }
  }

  private void uncounted(SendOp op) {
    count.addAndGet(-op.datagrams);
    bytes.addAndGet(-op.length);
  }

  int count() {
    return count.get();
  }

  long bytes() {
    return bytes.get();
  }

  /** Adds an operation; any thread. Call {@link #schedule()} after. */
  void offer(Op op) {
    ops.offer(op);
  }

  boolean isEmpty() {
    return ops.isEmpty();
  }

  /** Makes sure one drain task is on its way to the loop. */
  void schedule() {
    if (drainScheduled.compareAndSet(false, true)) {
      loop.execute(drainTask);
    }
  }

  /** The socket, for the connects in the queue. */
  SocketCore core() {
    return core;
  }

  /**
   * Runs every operation that can run, in order, then flushes once; consecutive sends to one
   * destination go out as joined GSO writes ({@link Coalesced}).
   */
  void drainOnLoop() {
    assert loop.inEventLoop();
    drainScheduled.set(false);
    if (core.isCloseDone()) {
      abandonAllOnLoop(NodeErrors.notRunning());
      return;
    }
    if (!core.isBound() || pendingJoined != null) {
      return; // the bind, or the joined write in flight, drains when it completes
    }
    draining = true;
    try {
      drainBoundOnLoop();
    } finally {
      draining = false;
    }
  }

  private void drainBoundOnLoop() {
    int ran = 0;
    int unflushed = 0;
    Op op;
    while ((op = ops.peek()) != null) {
      if (ran == OPS_PER_DRAIN) {
        schedule(); // a sender faster than this loop: let reads and completions run, then go on
        break;
      }
      if (!core.channel().isWritable()) {
        break; // the kernel pushes back: the rest waits here, not copied into Netty's buffer
      }
      if (!op.readyOnLoop(resolver, this::drainOnLoop)
          || !op.mayRunNowOnLoop(this, unflushed > 0)) {
        break; // a lookup, or earlier datagrams still in Netty's buffer: resumed when done
      }
      ops.poll();
      ran++;
      Coalesced joined = op instanceof SendOp ? join((SendOp) op) : null;
      if (joined != null) {
        ran += joined.count() - 1;
        writeJoinedOnLoop(joined); // flushes everything written before it too
        unflushed = 0;
        if (pendingJoined != null) {
          return; // the kernel pushes back: the drain goes on once the write completes
        }
        continue;
      }
      if (op.runOnLoop(this) && ++unflushed == WRITES_PER_FLUSH) {
        core.channel().flush();
        unflushed = 0;
      }
    }
    if (unflushed > 0) {
      core.channel().flush();
    }
  }

  /**
   * Whether a zero-length datagram can go out now: Netty skips them, so jdgram sends them itself,
   * which keeps call order only once everything written before has left Netty's buffer. If it has
   * not, the drain stops and resumes when the last write completes.
   */
  boolean writeEmptyNowOnLoop(boolean wroteBefore) {
    assert loop.inEventLoop();
    DatagramChannel ch = core.channel();
    if (wroteBefore) {
      ch.flush();
    }
    ChannelOutboundBuffer pending = ch.unsafe().outboundBuffer();
    if (pending == null || pending.isEmpty()) {
      return true;
    }
    if (lastWrite != null) {
      lastWrite.addListener(f -> schedule());
    }
    return false;
  }

  /** For close(): writes the sends at the head whose destinations are known, fails the rest. */
  void drainForCloseOnLoop() {
    assert loop.inEventLoop();
    if (core.isBound()) {
      boolean wrote = false;
      Op op;
      while ((op = ops.peek()) != null && op.isReady()) {
        ops.poll();
        wrote |= op.runForCloseOnLoop(this);
      }
      if (wrote) {
        core.channel().flush();
      }
    }
    abandonAllOnLoop(NodeErrors.notRunning());
  }

  /** Fails every queued operation with {@code why}. */
  void abandonAllOnLoop(DgramException why) {
    for (Op op : takeAll()) {
      op.abandonOnLoop(this, why);
    }
  }

  /** Removes and returns every queued operation. */
  List<Op> takeAll() {
    List<Op> list = new ArrayList<>();
    Op op;
    while ((op = ops.poll()) != null) {
      list.add(op);
    }
    return list;
  }

  /**
   * Why a send whose destination is known cannot be written: its lookup failed, its address is of
   * the other family or blocked, or it is too large; null if it can.
   */
  private DgramException refusal(SendOp op) {
    if (op.lookupError() != null) {
      return op.lookupError();
    }
    if (op.host != null) {
      InetAddress ip = op.resolved();
      if (!Addresses.fitsFamily(ip, udp6)) {
        return NodeErrors.withHostPort(Errno.EINVAL, "send", op.host, op.port, null);
      }
      DgramException blocked = blocked(ip);
      if (blocked != null) {
        return blocked;
      }
    }
    if ((op.segmentSize > 0 ? op.segmentSize : op.length) > maxPayload()) {
      return sendError(Errno.EMSGSIZE, op, null);
    }
    return null;
  }

  /**
   * Joins {@code first}, just taken from the queue, with the sends behind it that go to the same
   * place in the same size, taking them from the queue too; null (nothing taken) if no second one
   * joins, or this socket does not join sends.
   */
  private Coalesced join(SendOp first) {
    if (!coalescing()
        || !Coalesced.eligible(first)
        || !(ops.peek() instanceof SendOp second)
        || !Coalesced.eligible(second)
        || second.length > first.length) {
      return null; // most often: nothing behind it, and a lone send costs nothing more
    }
    if (first.lookupError() != null
        || !second.readyOnLoop(resolver, drainTask)
        || second.lookupError() != null
        || !Coalesced.sameDestination(first, second)) {
      return null; // the next one goes elsewhere: no joined write to prepare
    }
    if (refusal(first) != null) {
      return null; // it fails on its own, in writeOnLoop
    }
    InetSocketAddress peer =
        first.host == null ? core.transport().remoteAddress(core.channel()) : null;
    int sendBuffer = core.channel().config().getSendBufferSize(); // as it is now: one getsockopt
    int maxBytes = Math.min(maxPayload(), sendBuffer / 4);
    Coalesced joined = Coalesced.startingWith(this, first, peer, maxBytes);
    if (joined == null) {
      return null;
    }
    Op head;
    while ((head = ops.peek()) instanceof SendOp) {
      SendOp next = (SendOp) head;
      if (!Coalesced.eligible(next)
          || !next.readyOnLoop(resolver, drainTask)
          || !joined.tryAdd(next)) {
        break;
      }
      ops.poll();
    }
    return joined.count() > 1 ? joined : null;
  }

  /** Whether this socket joins sends: the transport has UDP GSO, and the kernel never refused. */
  private boolean coalescing() {
    if (coalesce == 0) {
      coalesce = COALESCE_SENDS && core.transport().supportsGso() ? 1 : -1;
    }
    return coalesce > 0;
  }

  /** Writes and flushes a joined write; {@link #pendingJoined} until it completes. */
  private void writeJoinedOnLoop(Coalesced joined) {
    DatagramChannel ch = core.channel();
    ByteBuf payload;
    try {
      payload = joined.payload(ch.alloc());
    } catch (OutOfMemoryError noDirectMemory) {
      for (SendOp part : joined.parts()) {
        failedOnLoop(part, sendError(Errno.ENOBUFS, part, noDirectMemory), false);
      }
      return;
    }
    pendingJoined = joined;
    lastWrite =
        ch.write(core.transport().segmented(payload, joined.segmentSize(), joined.destination()));
    lastWrite.addListener(joined);
    ch.flush();
  }

  /**
   * A joined write finished. If the kernel refused the GSO write itself (EIO: the device cannot
   * checksum it; EINVAL or EMSGSIZE: a segment exceeds the route's MTU, where one datagram alone
   * would have been fragmented), nothing of it was sent: its datagrams go out one by one, before
   * anything queued behind them, each with its own outcome, and this socket joins no more sends.
   */
  void coalescedDoneOnLoop(Coalesced joined, Throwable cause) {
    assert loop.inEventLoop();
    pendingJoined = null;
    if (cause == null) {
      coalescedDatagrams += joined.count();
      for (SendOp part : joined.parts()) {
        completedOnLoop(part, null);
      }
    } else {
      Errno e = errno(cause);
      if (e == Errno.EIO || e == Errno.EINVAL || e == Errno.EMSGSIZE) {
        coalesce = -1;
        boolean wrote = false;
        for (SendOp part : joined.parts()) {
          wrote |= writeOnLoop(part);
        }
        if (wrote) {
          core.channel().flush();
        }
      } else {
        for (SendOp part : joined.parts()) {
          failedOnLoop(part, sendError(e, part, cause), false);
        }
      }
    }
    if (!draining && !ops.isEmpty()) {
      schedule();
    }
  }

  /** Datagrams this socket has sent in joined writes. */
  long coalescedDatagrams() {
    return coalescedDatagrams;
  }

  /** Writes one send whose destination is known; whether it wrote to the channel. */
  boolean writeOnLoop(SendOp op) {
    assert loop.inEventLoop();
    DgramException refused = refusal(op);
    if (refused != null) {
      failedOnLoop(op, refused, false);
      return false;
    }
    InetSocketAddress dest = op.host != null ? op.destination() : null;
    DatagramChannel ch = core.channel();
    if (op.length == 0) {
      try {
        core.transport().sendEmpty(ch, dest);
        completedOnLoop(op, null);
      } catch (IOException | RuntimeException e) {
        completedOnLoop(op, e);
      }
      return false;
    }
    ByteBuf payload;
    try {
      payload = op.payload(ch.alloc());
    } catch (OutOfMemoryError noDirectMemory) {
      // The direct-memory limit (-XX:MaxDirectMemorySize) is reached: this send fails as the
      // kernel's sendmsg would without buffer space, and the queue moves on.
      failedOnLoop(op, sendError(Errno.ENOBUFS, op, noDirectMemory), false);
      return false;
    }
    Object msg;
    if (op.segmentSize > 0) {
      InetSocketAddress to = dest != null ? dest : core.transport().remoteAddress(ch);
      if (to == null) {
        // A disconnect() ran after this sendMany was queued: as the kernel answers a send without
        // an address on a socket without a peer.
        payload.release();
        failedOnLoop(op, sendError(Errno.EDESTADDRREQ, op, null), false);
        return false;
      }
      msg = core.transport().segmented(payload, op.segmentSize, to);
    } else {
      msg = dest == null ? core.transport().toPeer(ch, payload) : new DatagramPacket(payload, dest);
    }
    lastWrite = ch.write(msg);
    op.watch(this, lastWrite);
    return true;
  }

  /** Node's ERR_IP_BLOCKED if the send block list holds {@code ip}, else null. */
  DgramException blocked(InetAddress ip) {
    if (sendBlockList != null && sendBlockList.check(ip)) {
      return NodeErrors.ipBlocked(Addresses.format(ip, false));
    }
    return null;
  }

  private static DgramException sendError(Errno e, SendOp op, Throwable cause) {
    if (op.host == null) {
      return NodeErrors.errno(e, "send", cause);
    }
    return NodeErrors.withHostPort(e, "send", op.host, op.port, cause);
  }

  /** A write finished (Netty completes write futures on the loop). */
  void completedOnLoop(SendOp op, Throwable cause) {
    assert loop.inEventLoop();
    if (cause != null) {
      failedOnLoop(op, sendError(errno(cause), op, cause), false);
      return;
    }
    uncounted(op);
    counters.sentOnLoop(op.datagrams, op.length);
    if (op.batch != null) {
      op.batch.completed(op.length);
    } else if (op.callback != null) {
      invoke(op.callback, null, op.length);
    }
  }

  /**
   * A send failed: to its callback if it has one, else as 'error', as the seed documents (Node's
   * code swallows some of these; the documentation wins) unless {@code quietWithoutCallback}.
   */
  void failedOnLoop(SendOp op, DgramException err, boolean quietWithoutCallback) {
    assert loop.inEventLoop();
    uncounted(op);
    counters.sendFailedOnLoop(op.datagrams, "ERR_IP_BLOCKED".equals(err.code()));
    if (op.batch != null) {
      op.batch.failed(err, quietWithoutCallback);
    } else if (op.callback != null) {
      invoke(op.callback, err, 0);
    } else if (!quietWithoutCallback) {
      events.error(err);
    }
  }

  /** The errno of a failed write. */
  private static Errno errno(Throwable cause) {
    try {
      return ErrorMapping.toErrno(cause);
    } catch (RuntimeException | Error bug) {
      // Not an I/O failure but a bug (in jdgram or Netty): it goes to the loop thread's uncaught
      // handler, where it is seen as one; the send still ends, so that the queue's counts stay
      // right and its callback is not left waiting.
      SocketEvents.uncaught(bug);
      return Errno.UNKNOWN;
    }
  }

  /** The largest datagram of the socket's family. */
  int maxPayload() {
    return udp6 ? MAX_UDP6_PAYLOAD : MAX_UDP4_PAYLOAD;
  }

  static void invoke(SendCallback cb, DgramException err, int bytes) {
    try {
      cb.done(err, bytes);
    } catch (Throwable t) {
      SocketEvents.uncaught(t);
    }
  }
}
