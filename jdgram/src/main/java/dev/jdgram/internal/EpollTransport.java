package dev.jdgram.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.AttributeKey;

/**
 * Netty's native epoll transport, jdgram's default on Linux: reads with recvmmsg into a per-loop
 * buffer, sends with sendmmsg and UDP GSO; socket options and adoption as in {@link
 * NativeTransport}.
 */
final class EpollTransport extends NativeTransport {
  static boolean available() {
    return Epoll.isAvailable();
  }

  static Throwable cause() {
    return Epoll.unavailabilityCause();
  }

  @Override
  public String name() {
    return "epoll";
  }

  @Override
  IoHandlerFactory ioHandlerFactory() {
    return EpollIoHandler.newFactory();
  }

  @Override
  public DatagramChannel newChannel(boolean ipv6) {
    EpollDatagramChannel ch =
        new EpollDatagramChannel(ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
    // Netty turns IP_MULTICAST_ALL off, to be like NIO; Node leaves Linux's default (on), where a
    // socket bound to a port receives the groups that any socket of the host joined on it.
    ch.config().setOption(EpollChannelOption.IP_MULTICAST_ALL, true);
    return ch;
  }

  @Override
  DatagramChannel wrap(int fd) {
    boolean blocking = Descriptors.isBlocking(fd);
    EpollDatagramChannel ch = new EpollDatagramChannel(fd);
    if (blocking) {
      ch.attr(BLOCKING).set(Boolean.TRUE);
    }
    return ch;
  }

  /**
   * Marks an adopted descriptor in blocking mode, as a JDK DatagramChannel's and most inherited
   * ones are. libuv makes such a descriptor non-blocking; Java 17 has no fcntl and Netty exposes
   * none, so jdgram reads it one datagram per wake-up instead (see {@link #configureReads}).
   */
  private static final AttributeKey<Boolean> BLOCKING =
      AttributeKey.valueOf("dev.jdgram.blockingDescriptor");

  /** Datagrams one recvmmsg call reads at most; the read buffer holds that many slots. */
  static final int DATAGRAMS_PER_RECVMMSG = 16;

  /** The read buffers of every epoll channel: one per loop thread, cut into recvmmsg slots. */
  private static final ReadBuffers READS =
      new ReadBuffers(READ_SLOT * DATAGRAMS_PER_RECVMMSG, READS_PER_WAKEUP);

  /**
   * Reads with recvmmsg: Netty cuts each read buffer into {@link #READ_SLOT}-byte slots, one per
   * datagram, and fills up to {@link #DATAGRAMS_PER_RECVMMSG} of them with one system call.
   */
  @Override
  void configureReads(DatagramChannel ch) {
    if (Boolean.TRUE.equals(ch.attr(BLOCKING).get())) {
      // A blocking descriptor must never be asked for more than the one datagram that epoll
      // reported: recvmmsg would wait for all its slots, and a second recvmsg for the next
      // datagram, with the loop thread stuck in the kernel. One recvmsg per wake-up; epoll is
      // level-triggered, so a socket with more queued wakes the loop again at once.
      super.configureReads(ch);
      return;
    }
    ch.config().setRecvByteBufAllocator(READS);
    ch.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, READ_SLOT);
  }

  @Override
  public boolean supportsGso() {
    return EpollDatagramChannel.isSegmentedDatagramPacketSupported();
  }
}
