package dev.jdgram.internal;

import dev.jdgram.DgramException;
import dev.jdgram.SendCallback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.nio.ByteBuffer;

/**
 * One write: a datagram, or for {@code sendMany} a run of equal-size datagrams sent as one UDP GSO
 * write that the kernel cuts into {@link #segmentSize}-byte datagrams. Holds the caller's bytes
 * without copying them (Node's contract: the caller leaves the buffer alone until the callback);
 * they are copied once, into a pooled direct buffer, when written. Also the write's completion
 * listener, so a send allocates nothing else.
 */
final class SendOp extends Op implements ChannelFutureListener {
  private final byte[] array;
  private final int offset;
  private final ByteBuffer buffer;

  /** For a GSO write: its datagrams, each a byte[] or ByteBuffer; else null. */
  private final Object[] parts;

  /** Total bytes. */
  final int length;

  /** The datagrams this write carries: 1, or a GSO write's count. */
  final int datagrams;

  /** The size of each datagram of a GSO write (the last may be shorter); 0 for one datagram. */
  final int segmentSize;

  final SendCallback callback;

  /** The sendMany this write belongs to, or null. */
  final Batch batch;

  private SendQueue queue;

  SendOp(
      byte[] array,
      int offset,
      int length,
      ByteBuffer buffer,
      String host,
      int port,
      SendCallback callback) {
    this(array, offset, length, buffer, null, 1, 0, host, port, callback, null);
  }

  private SendOp(
      byte[] array,
      int offset,
      int length,
      ByteBuffer buffer,
      Object[] parts,
      int datagrams,
      int segmentSize,
      String host,
      int port,
      SendCallback callback,
      Batch batch) {
    super(host, port);
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.buffer = buffer;
    this.parts = parts;
    this.datagrams = datagrams;
    this.segmentSize = segmentSize;
    this.callback = callback;
    this.batch = batch;
  }

  /** One datagram of a sendMany: a byte[] or a ByteBuffer. */
  static SendOp single(Object part, String host, int port, Batch batch) {
    if (part instanceof byte[]) {
      byte[] b = (byte[]) part;
      return new SendOp(b, 0, b.length, null, null, 1, 0, host, port, null, batch);
    }
    ByteBuffer b = (ByteBuffer) part;
    return new SendOp(null, 0, b.remaining(), b, null, 1, 0, host, port, null, batch);
  }

  /**
   * A GSO write of {@code parts}, all {@code segmentSize} bytes but the last, which may be less.
   */
  static SendOp segmented(
      Object[] parts, int segmentSize, int length, String host, int port, Batch batch) {
    return new SendOp(
        null, 0, length, null, parts, parts.length, segmentSize, host, port, null, batch);
  }

  /** Copies the payload into a buffer of the channel's allocator. */
  ByteBuf payload(ByteBufAllocator alloc) {
    ByteBuf buf = alloc.directBuffer(length, length);
    writeTo(buf);
    return buf;
  }

  /** Appends the payload to {@code buf}. */
  void writeTo(ByteBuf buf) {
    if (parts != null) {
      for (Object part : parts) {
        write(buf, part);
      }
    } else if (array != null) {
      buf.writeBytes(array, offset, length);
    } else {
      buf.writeBytes(buffer.duplicate());
    }
  }

  private static void write(ByteBuf buf, Object part) {
    if (part instanceof byte[]) {
      buf.writeBytes((byte[]) part);
    } else {
      buf.writeBytes(((ByteBuffer) part).duplicate());
    }
  }

  void watch(SendQueue queue, ChannelFuture future) {
    this.queue = queue;
    future.addListener(this);
  }

  @Override
  public void operationComplete(ChannelFuture future) {
    queue.completedOnLoop(this, future.cause()); // Netty completes writes on the loop
  }

  @Override
  boolean runOnLoop(SendQueue queue) {
    return queue.writeOnLoop(this);
  }

  @Override
  boolean runForCloseOnLoop(SendQueue queue) {
    return queue.writeOnLoop(this); // sent before close() was called: Node would drop it
  }

  /** A zero-length datagram waits until what was written before has left Netty's buffer. */
  @Override
  boolean mayRunNowOnLoop(SendQueue queue, boolean wroteBefore) {
    return length != 0 || queue.writeEmptyNowOnLoop(wroteBefore);
  }

  @Override
  void abandonOnLoop(SendQueue queue, DgramException why) {
    // Only a callback hears of it: the close or the failed bind has its own event already.
    queue.failedOnLoop(this, why, true);
  }
}
