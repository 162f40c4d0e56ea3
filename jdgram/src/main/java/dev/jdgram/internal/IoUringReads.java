package dev.jdgram.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

/**
 * How one io_uring channel reads, and where into.
 *
 * <p>Netty's io_uring datagram channel (4.2) reads by submitting IORING_OP_RECVMSG operations, each
 * with its buffer, one slot per datagram: with {@code MAX_DATAGRAM_PAYLOAD_SIZE} set, a buffer of n
 * slots becomes n recvmsg linked in order, the first waiting in the kernel (io_uring polls the
 * socket for it) and the rest MSG_DONTWAIT, so one submission reads up to n datagrams, like
 * recvmmsg. It has no multishot receive and no buffer ring for datagrams, so the first read of a
 * burst is submitted before anything has arrived and holds its buffer while the socket is idle.
 *
 * <p>So a read that waits gets this channel's own {@link Transport#READ_SLOT} (64 KiB: the largest
 * datagram arrives whole, never cut short), made on the first read and freed when the channel
 * closes: every open socket costs 64 KiB here, which epoll's shared buffer does not. Once a
 * datagram has come and the kernel reports more queued (IORING_CQE_F_SOCK_NONEMPTY), the next reads
 * are batches of {@link #DATAGRAMS_PER_BATCH} into the loop's shared buffer ({@link ReadBuffers}),
 * which they give back when they complete, moments later; up to {@link Transport#READS_PER_WAKEUP}
 * datagrams before the loop turns to other work. One instance per channel; Netty's own allocator
 * serves only a read that finds both buffers in use.
 */
final class IoUringReads extends DefaultMaxMessagesRecvByteBufAllocator {
  /** Linked recvmsg operations per batch, as many as epoll's recvmmsg reads per call. */
  static final int DATAGRAMS_PER_BATCH = 16;

  private static final int PAGE = 4096;

  private final ReadBuffers batches;
  private ByteBuf own;
  private boolean released;

  IoUringReads(ReadBuffers batches) {
    super(Transport.READS_PER_WAKEUP);
    this.batches = batches;
  }

  /** Frees the channel's own slot once its reads are over (the channel is closed). Loop thread. */
  void release() {
    released = true;
    if (own != null) {
      own.release(); // a cancelled read still holding it gives it back when it completes
      own = null;
    }
  }

  /**
   * The channel's own slot, page-aligned like the loop's buffers (copies out of it run fastest),
   * from the unpooled allocator so that closing the socket returns its memory at once.
   */
  private ByteBuf ownSlot(ByteBufAllocator alloc) {
    try {
      return ownSlotOrFail(alloc);
    } catch (OutOfMemoryError e) {
      throw ReadBuffers.noBuffers(e);
    }
  }

  private ByteBuf ownSlotOrFail(ByteBufAllocator alloc) {
    if (released || (own != null && own.refCnt() != 1)) {
      return alloc.directBuffer(Transport.READ_SLOT, Transport.READ_SLOT);
    }
    if (own == null) {
      ByteBuf raw;
      try {
        raw = UnpooledByteBufAllocator.DEFAULT.directBuffer(Transport.READ_SLOT + PAGE);
      } catch (OutOfMemoryError e) {
        return alloc.directBuffer(Transport.READ_SLOT, Transport.READ_SLOT); // tried again later
      }
      int skip = raw.hasMemoryAddress() ? (int) (-raw.memoryAddress() & (PAGE - 1)) : 0;
      own = raw.slice(skip, Transport.READ_SLOT);
    }
    return own.retain().clear();
  }

  // Netty's RecvByteBufAllocator API still types newHandle() with the deprecated Handle; the object
  // is an ExtendedHandle, as Netty's own allocators return.
  @Override
  @SuppressWarnings("deprecation")
  public Handle newHandle() {
    return new MaxMessageHandle() {
      /** Whether the next read is the first of a burst: Netty resets the handle before it. */
      private boolean waits;

      @Override
      public void reset(ChannelConfig config) {
        super.reset(config);
        waits = true;
      }

      @Override
      public ByteBuf allocate(ByteBufAllocator alloc) {
        if (!waits) {
          ByteBuf batch = batches.takeIfFree();
          if (batch != null) {
            return batch;
          }
        }
        waits = false;
        return ownSlot(alloc);
      }

      @Override
      public int guess() {
        return Transport.READ_SLOT;
      }
    };
  }
}
