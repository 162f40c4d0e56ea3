package dev.jdgram.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * Where a socket's datagrams are read into: one page-aligned direct buffer per loop thread, reused
 * by every read of every socket on that loop.
 *
 * <p>That is safe because jdgram's only handler, {@link Receiver}, copies each datagram out and
 * releases it before the read returns, so the buffer is free again before the loop reads another
 * socket. It saves a large allocation per read (a 1 MiB recvmmsg buffer, which Netty's allocator
 * does not pool at all in its low-memory mode, with -Xmx of 512 MiB or less) and starts every slot
 * on a page, where copies of large datagrams run fastest. Should the buffer still be in use, a read
 * falls back to the channel's allocator.
 *
 * <p>Each transport makes one instance and gives it to all its channels, so a loop thread holds one
 * buffer however many sockets it serves (10,000 sockets do not mean 10,000 buffers) and closing a
 * socket leaves nothing behind. Netty makes a {@link Handle} per channel; jdgram never changes an
 * allocator's settings after it is made.
 */
final class ReadBuffers extends DefaultMaxMessagesRecvByteBufAllocator {
  private static final int PAGE = 4096;

  private final int size;
  private final FastThreadLocal<ByteBuf> perLoop =
      new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
          ByteBuffer aligned = ByteBuffer.allocateDirect(size + PAGE).alignedSlice(PAGE);
          aligned.limit(size);
          return Unpooled.wrappedBuffer(aligned); // reference held by this loop for its lifetime
        }
      };

  /**
   * @param size the bytes of one read
   * @param readsPerWakeup datagrams read per wake-up at most
   */
  ReadBuffers(int size, int readsPerWakeup) {
    super(readsPerWakeup);
    this.size = size;
  }

  /**
   * This loop's buffer, retained and cleared, for a read that gives it back before the loop reads
   * another socket; null while it is in use. Loop thread.
   */
  ByteBuf takeIfFree() {
    ByteBuf buf = perLoop.get();
    return buf.refCnt() == 1 ? buf.retain().clear() : null;
  }

  // Netty's RecvByteBufAllocator API still types newHandle() with the deprecated Handle; the object
  // is an ExtendedHandle, as Netty's own allocators return.
  @Override
  @SuppressWarnings("deprecation")
  public Handle newHandle() {
    return new MaxMessageHandle() {
      private final UncheckedBooleanSupplier filledEverySlot =
          () -> lastBytesRead() == attemptedBytesRead();

      /**
       * Reads again only while the last read filled every slot. Netty's epoll loop would read until
       * the socket is empty, which costs one more (empty) recvmmsg and delays what the listeners
       * sent until after it; epoll is level-triggered, so anything that arrives later is reported
       * at once by the next wait. (Netty's NIO loop asks the same question of its one-datagram
       * reads.)
       */
      @Override
      public boolean continueReading(UncheckedBooleanSupplier maybeMoreData) {
        return super.continueReading(filledEverySlot);
      }

      @Override
      public ByteBuf allocate(ByteBufAllocator alloc) {
        ByteBuf buf = takeIfFree();
        return buf != null ? buf : alloc.directBuffer(size, size); // in use: never share it
      }

      @Override
      public int guess() {
        return size;
      }
    };
  }
}
