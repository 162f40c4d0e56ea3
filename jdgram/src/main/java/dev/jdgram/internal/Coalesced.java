package dev.jdgram.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Consecutive {@code send()} calls to one destination, of one size (the last may be shorter), sent
 * as one UDP GSO write: one system call and one trip through the kernel's stack, which cuts it into
 * the same datagrams the calls would have sent one by one. Each call keeps its own callback, bytes
 * and count in {@code stats()}; the receiver cannot tell the difference.
 *
 * <p>A joined write holds at most a quarter of the socket's send buffer: the kernel charges it to
 * the buffer as one, so a larger one would let a burst past the buffer's push-back (on a slow link,
 * into the qdisc, which drops what it cannot hold, where single datagrams would have waited in
 * jdgram's queue).
 *
 * <p>Only datagrams that no path needs to fragment are joined ({@link #MAX_SEGMENT}), never to a
 * multicast or broadcast address, and never a {@code sendMany}'s (it plans its own GSO writes). A
 * socket whose GSO write the kernel refuses (EIO where the device cannot checksum it, EINVAL or
 * EMSGSIZE where the route's MTU is smaller than a segment) sends those datagrams one by one and
 * joins no more.
 */
final class Coalesced implements ChannelFutureListener {
  /**
   * The largest datagram joined: IPv6's minimum MTU (1,280) less its and UDP's headers, so that no
   * IPv6 path, and no IPv4 one short of an unusual MTU, needs to fragment a segment.
   */
  static final int MAX_SEGMENT = 1_232;

  private final SendQueue queue;
  private final InetSocketAddress destination;
  private final SendOp[] parts;
  private int count;
  private int length;

  private Coalesced(SendQueue queue, InetSocketAddress destination, SendOp first, int maxParts) {
    this.queue = queue;
    this.destination = destination;
    this.parts = new SendOp[maxParts];
    parts[0] = first;
    count = 1;
    length = first.length;
  }

  /** Whether {@code op} may start or join a joined write. */
  static boolean eligible(SendOp op) {
    return op.batch == null && op.datagrams == 1 && op.length > 0 && op.length <= MAX_SEGMENT;
  }

  /**
   * Starts a joined write with {@code first}, an eligible send ready to be written, its destination
   * checked; {@code peer} is the connected socket's peer, for a send without an address. A joined
   * write carries at most {@code maxBytes}. Null if the destination is one that is never joined,
   * there is no peer (a disconnect came first), or not two datagrams fit.
   */
  static Coalesced startingWith(
      SendQueue queue, SendOp first, InetSocketAddress peer, int maxBytes) {
    InetSocketAddress to = first.host == null ? peer : first.destination();
    if (to == null) {
      return null; // the send fails on its own, as a send on a socket without a peer does
    }
    InetAddress ip = to.getAddress();
    if (ip.isMulticastAddress() || isLimitedBroadcast(ip)) {
      return null;
    }
    int maxParts = Math.min(Batch.MAX_SEGMENTS, maxBytes / first.length);
    return maxParts < 2 ? null : new Coalesced(queue, to, first, maxParts);
  }

  private static boolean isLimitedBroadcast(InetAddress ip) {
    byte[] b = ip.getAddress();
    return b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == -1;
  }

  /**
   * Adds {@code next} if it goes where the first goes and fits: a ready, eligible send of the first
   * one's size, or a shorter last one.
   */
  boolean tryAdd(SendOp next) {
    SendOp first = parts[0];
    if (count == parts.length
        || parts[count - 1].length < first.length // a shorter one ended the write
        || !eligible(next)
        || next.length > first.length
        || next.lookupError() != null
        || !sameDestination(first, next)) {
      return false;
    }
    parts[count++] = next;
    length += next.length;
    return true;
  }

  /** Whether {@code b} goes where {@code a} goes; both ready, {@code a}'s lookup succeeded. */
  static boolean sameDestination(SendOp a, SendOp b) {
    if (a.host == null || b.host == null) {
      return a.host == null && b.host == null; // both on the connected socket's peer
    }
    InetAddress x = a.resolved();
    InetAddress y = b.resolved();
    return a.port == b.port
        && y != null
        && x.equals(y)
        && Addresses.scopeId(x) == Addresses.scopeId(y); // equals ignores an IPv6 zone
  }

  /** The sends joined so far. */
  int count() {
    return count;
  }

  /** The joined sends, in call order. */
  SendOp[] parts() {
    return Arrays.copyOf(parts, count);
  }

  /** The first send, whose destination is every part's. */
  SendOp first() {
    return parts[0];
  }

  /** The size of every datagram but the last. */
  int segmentSize() {
    return parts[0].length;
  }

  /** Where the datagrams go. */
  InetSocketAddress destination() {
    return destination;
  }

  /** Every part's bytes, one after another, in a buffer of the channel's allocator. */
  ByteBuf payload(ByteBufAllocator alloc) {
    ByteBuf buf = alloc.directBuffer(length, length);
    for (int i = 0; i < count; i++) {
      parts[i].writeTo(buf);
    }
    return buf;
  }

  @Override
  public void operationComplete(ChannelFuture future) {
    queue.coalescedDoneOnLoop(this, future.cause()); // Netty completes writes on the loop
  }
}
