package dev.jdgram.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelException;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.AttributeKey;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Netty's io_uring transport ({@code -Ddev.jdgram.transport=io_uring}, Linux 5.9+ with io_uring
 * enabled): the loop submits recvmsg and sendmsg operations to a ring instead of making the system
 * calls itself. Socket options and adoption are {@link NativeTransport}'s, the same as epoll's;
 * reads are {@link IoUringReads}'.
 */
final class IoUringTransport extends NativeTransport {
  /** The per-loop buffer of a batch of linked recvmsg reads, one {@link #READ_SLOT} each. */
  private static final ReadBuffers BATCHES =
      new ReadBuffers(READ_SLOT * IoUringReads.DATAGRAMS_PER_BATCH, READS_PER_WAKEUP);

  static boolean available() {
    return IoUring.isAvailable();
  }

  static Throwable cause() {
    return IoUring.unavailabilityCause();
  }

  @Override
  public String name() {
    return "io_uring";
  }

  @Override
  IoHandlerFactory ioHandlerFactory() {
    return IoUringIoHandler.newFactory();
  }

  /**
   * The direct memory one channel takes, with room: Netty's 256 receive and 256 send message
   * headers (112 KiB) and the channel's own read slot (68 KiB, see {@link IoUringReads}).
   */
  private static final long CHANNEL_MEMORY = 256 * 1024;

  /**
   * Fails with ENOBUFS, as socket(2) does without memory, where a channel would not fit in what is
   * left of the direct-memory limit. Netty allocates its message headers after it has opened the
   * descriptor, so running out there would leave the descriptor open with no one to close it; this
   * check comes first (and the constructor's OutOfMemoryError is caught as a last resort).
   */
  private static void ensureMemory() {
    long max = PlatformDependent.maxDirectMemory();
    long used = PlatformDependent.usedDirectMemory(); // -1 where Netty does not count
    if (used >= 0 && max - used < CHANNEL_MEMORY) {
      throw noMemory(null);
    }
  }

  private static ChannelException noMemory(Throwable cause) {
    return new ChannelException(
        Errno.ENOBUFS.failure("no direct memory left for an io_uring channel", cause));
  }

  @Override
  public DatagramChannel newChannel(boolean ipv6) {
    ensureMemory();
    IoUringDatagramChannel ch;
    try {
      ch =
          new IoUringDatagramChannel(ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
    } catch (OutOfMemoryError e) {
      throw noMemory(e);
    }
    // As on epoll: Netty turns IP_MULTICAST_ALL off; Node leaves Linux's default (on).
    ch.config().setOption(IoUringChannelOption.IP_MULTICAST_ALL, true);
    return ch;
  }

  /**
   * Wraps the descriptor as it is. Unlike epoll, a blocking descriptor needs no care: Netty's
   * io_uring channels use blocking descriptors themselves, the kernel polls for the first read of a
   * batch and the others are MSG_DONTWAIT.
   */
  @Override
  DatagramChannel wrap(int fd) {
    ensureMemory();
    try {
      return new IoUringDatagramChannel(fd);
    } catch (OutOfMemoryError e) {
      throw noMemory(e);
    }
  }

  @Override
  void configureReads(DatagramChannel ch) {
    IoUringReads reads = new IoUringReads(BATCHES);
    ch.config().setRecvByteBufAllocator(reads);
    ch.config().setOption(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, READ_SLOT);
    ch.closeFuture().addListener(closed -> reads.release());
  }

  @Override
  public boolean supportsGso() {
    return IoUringDatagramChannel.isSegmentedDatagramPacketSupported();
  }

  /**
   * The peer of a connected channel. Netty's io_uring channel connects asynchronously (an
   * IORING_OP_CONNECT whose completion the loop sees on its next turn), where Node's connect(2)
   * returns at once and the sends queued behind it go straight out; jdgram connects the descriptor
   * itself, so the channel does not know its peer and each connected send names it.
   */
  private static final AttributeKey<InetSocketAddress> PEER =
      AttributeKey.valueOf("dev.jdgram.ioUringPeer");

  @Override
  Throwable connect(DatagramChannel ch, InetSocketAddress to) {
    assert ch.eventLoop().inEventLoop();
    try {
      Socket socket = view(ch);
      socket.connect(to); // UDP: done on return, never EINPROGRESS
      ch.attr(PEER).set(socket.remoteAddress());
      return null;
    } catch (IOException | ChannelException e) {
      return e;
    }
  }

  @Override
  Throwable disconnect(DatagramChannel ch) {
    Throwable failed = super.disconnect(ch); // Netty's disconnect is a plain connect(AF_UNSPEC)
    if (failed == null) {
      ch.attr(PEER).set(null);
    }
    return failed;
  }

  @Override
  InetSocketAddress remoteAddress(DatagramChannel ch) {
    return ch.attr(PEER).get();
  }

  /**
   * Names the peer: the channel, not knowing it, would send to an empty address, which the kernel
   * refuses (EINVAL) even on a connected socket.
   */
  @Override
  Object toPeer(DatagramChannel ch, ByteBuf payload) {
    InetSocketAddress peer = ch.attr(PEER).get();
    return peer == null ? payload : new DatagramPacket(payload, peer);
  }

  /**
   * Netty's io_uring channel closes its descriptor with an IORING_OP_CLOSE submitted after its
   * pending reads are cancelled, so the port is free only some loop turns after {@code close()}.
   * Waits, bounded, until {@code /proc/self/fd} shows the descriptor closed: by then Netty has also
   * freed the channel's native memory (in the same completion pass).
   */
  @Override
  public void whenReleased(DatagramChannel ch, Runnable then) {
    int fd = ((UnixChannel) ch).fd().intValue();
    String open = Descriptors.identity(fd);
    ch.closeFuture().addListener(closed -> awaitClosed(ch, fd, open, then, 0));
  }

  private static void awaitClosed(
      DatagramChannel ch, int fd, String open, Runnable then, int attempt) {
    if (open == null || !open.equals(Descriptors.identity(fd)) || attempt == 200) {
      then.run();
      return;
    }
    // A delay, however short, sends the loop through its next submission first.
    long micros = Math.min(1000, 10L << Math.min(attempt, 10));
    ch.eventLoop()
        .schedule(
            () -> awaitClosed(ch, fd, open, then, attempt + 1), micros, TimeUnit.MICROSECONDS);
  }
}
