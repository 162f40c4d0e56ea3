package dev.jdgram.internal;

import dev.jdgram.DgramException;
import dev.jdgram.SendCallback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One datagram to send. Holds the caller's bytes without copying them (Node's contract: the caller
 * leaves the buffer alone until the callback); they are copied once, into a pooled direct buffer,
 * when the datagram is written. Also the write's completion listener, so a send allocates nothing
 * else.
 */
final class SendOp extends Op implements ChannelFutureListener {
  private final byte[] array;
  private final int offset;
  private final ByteBuffer buffer;
  final int length;
  final SendCallback callback;
  private SendQueue queue;

  /** A cached destination, when the caller's host was a literal seen before. */
  InetSocketAddress destination;

  SendOp(
      byte[] array,
      int offset,
      int length,
      ByteBuffer buffer,
      String host,
      int port,
      SendCallback callback) {
    super(host, port);
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.buffer = buffer;
    this.callback = callback;
  }

  /** Copies the payload into a buffer of the channel's allocator. */
  ByteBuf payload(ByteBufAllocator alloc) {
    ByteBuf buf = alloc.directBuffer(length, length);
    if (array != null) {
      buf.writeBytes(array, offset, length);
    } else {
      buf.writeBytes(buffer.duplicate());
    }
    return buf;
  }

  void watch(SendQueue queue, ChannelFuture future) {
    this.queue = queue;
    future.addListener(this);
  }

  @Override
  public void operationComplete(ChannelFuture future) {
    queue.completed(this, future.cause());
  }

  @Override
  void abandon(SocketCore core, DgramException why) {
    // Only a callback hears of it: the close or the failed bind has its own event already.
    core.sendQueue().failed(this, why, true);
  }
}
