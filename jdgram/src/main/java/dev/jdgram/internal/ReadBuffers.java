package dev.jdgram.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import java.net.SocketException;

/**
 * Where a socket's datagrams are read into: one direct buffer per loop thread, reused by every read
 * of every socket on that loop.
 *
 * <p>That is safe because jdgram's only handler, {@link Receiver}, copies each datagram out and
 * releases it before the read returns, so the buffer is free again before the loop reads another
 * socket. It saves a large allocation per read (a 1 MiB recvmmsg buffer, which Netty's allocator
 * does not pool at all in its low-memory mode, with -Xmx of 512 MiB or less) and starts every slot
 * on a page, where copies of large datagrams run fastest. Should the buffer still be in use, a read
 * falls back to the channel's allocator.
 *
 * <p>The buffers come from a pool of their own (one arena, one chunk per loop's buffer): Netty's
 * batched read hands each datagram on as a retained slice, which Netty recycles for a pooled buffer
 * and allocates anew for an unpooled one. That is 40 B less garbage per datagram (160 to 120 B
 * beyond the payload, {@code jdgram bench --workloads memory}).
 *
 * <p>Each transport makes one instance and gives it to all its channels, so a loop thread holds one
 * buffer however many sockets it serves (10,000 sockets do not mean 10,000 buffers) and closing a
 * socket leaves nothing behind. Netty makes a {@link Handle} per channel; jdgram never changes an
 * allocator's settings after it is made.
 */
final class ReadBuffers extends DefaultMaxMessagesRecvByteBufAllocator {
  private static final int PAGE = 4096;

  private final int size;
  private PooledByteBufAllocator pool; // made by the first loop that reads: guarded by this
  private final FastThreadLocal<ByteBuf> perLoop =
      new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
          return pool().directBuffer(size, size); // held by this loop until its thread ends
        }

        @Override
        protected void onRemoval(ByteBuf buf) {
          buf.release();
        }
      };

  /**
   * @param size the bytes of one read, a power of two of at least a page
   * @param readsPerWakeup datagrams read per wake-up at most
   */
  ReadBuffers(int size, int readsPerWakeup) {
    super(readsPerWakeup);
    if (size < PAGE || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("read size " + size);
    }
    this.size = size;
  }

  /**
   * One arena whose chunk is exactly one loop's buffer, aligned on a page where Netty can align
   * direct memory (it needs Unsafe, which JDK 24+ withholds by default: there the buffer starts
   * wherever the JDK put it); made on the first read, not on the process's first bind.
   */
  private synchronized PooledByteBufAllocator pool() {
    if (pool == null) {
      int maxOrder = Integer.numberOfTrailingZeros(size / PAGE);
      int alignment = PooledByteBufAllocator.isDirectMemoryCacheAlignmentSupported() ? PAGE : 0;
      pool = new PooledByteBufAllocator(true, 0, 1, PAGE, maxOrder, 0, 0, false, alignment);
    }
    return pool;
  }

  /**
   * Fails a read that found no direct memory for its buffer as the kernel's recvmsg fails without
   * buffer space, and as libuv reports a failed allocation: Node emits {@code 'error'} with {@code
   * recvmsg ENOBUFS}. Nothing is lost: the datagram stays queued in the kernel and is read once
   * memory frees up. The failure is a {@link SocketException}, on which Netty's NIO channel keeps
   * reading instead of closing. Any other {@link OutOfMemoryError} is rethrown as it is.
   *
   * @return never: throws
   */
  static RuntimeException noBuffers(OutOfMemoryError e) {
    if (!ErrorMapping.isDirectMemoryExhausted(e)) {
      throw e; // the heap is gone: not a socket's failure
    }
    SocketException failure = new SocketException(Errno.ENOBUFS.strerror());
    failure.initCause(Errno.ENOBUFS.failure("no direct memory for a read buffer", e));
    PlatformDependent.throwException(failure);
    return new IllegalStateException(failure); // not reached
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
        try {
          ByteBuf buf = takeIfFree();
          return buf != null ? buf : alloc.directBuffer(size, size); // in use: never share it
        } catch (OutOfMemoryError e) {
          throw noBuffers(e);
        }
      }

      @Override
      public int guess() {
        return size;
      }
    };
  }
}
