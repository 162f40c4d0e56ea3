package dev.jdgram.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One of the Netty transports jdgram runs on: how it makes, adopts and reads channels, and the
 * socket options that each spells its own way. Linux gets Netty's native epoll transport, which
 * reaches every option Node sets (unicast TTL, memberships exactly as libuv sets them, fd
 * adoption), or on request Netty's io_uring, which reaches the same; elsewhere Java NIO. {@link
 * Transports} picks one; {@link EventLoops} owns its loops.
 *
 * <p>A socket option method throws an {@link IOException} carrying the kernel's errno (or Netty's
 * {@code ChannelException} around one), which callers map with {@link ErrorMapping}; a failure that
 * Node reports with its own code is thrown as that {@code DgramException}.
 */
public abstract class Transport {
  /** The transport's name: {@code "epoll"}, {@code "io_uring"} or {@code "nio"}. */
  public abstract String name();

  /** Netty's I/O handler of this transport. */
  abstract IoHandlerFactory ioHandlerFactory();

  /**
   * Set on an adopted channel whose descriptor is AF_INET. A udp6 socket sees its senders as the
   * kernel gives them, plain IPv4, not mapped as on a dual-stack descriptor (Node reports what
   * recvmsg returned).
   */
  static final AttributeKey<Boolean> INET4_DESCRIPTOR =
      AttributeKey.valueOf("dev.jdgram.inet4Descriptor");

  /** Opens a new, unbound UDP channel of the given family. */
  public abstract DatagramChannel newChannel(boolean ipv6);

  /**
   * Wraps an already-open UDP socket.
   *
   * @throws dev.jdgram.DgramException if the descriptor is not a UDP socket or this transport
   *     cannot adopt descriptors
   */
  public abstract DatagramChannel adopt(int fd);

  /**
   * Connects the channel's socket to {@code to} now, as connect(2) on a UDP socket does (it never
   * waits for the network). Loop thread.
   *
   * @return null once connected, else the failure
   */
  Throwable connect(DatagramChannel ch, InetSocketAddress to) {
    ChannelFuture f = ch.connect(to);
    if (f.isSuccess()) {
      return null;
    }
    return f.cause() != null ? f.cause() : new IllegalStateException("connect did not complete");
  }

  /**
   * Dissolves the association of a connected socket. Loop thread.
   *
   * @return null once disconnected, else the failure
   */
  Throwable disconnect(DatagramChannel ch) {
    return ch.disconnect().cause();
  }

  /** The peer of a connected channel, or null. Any thread. */
  InetSocketAddress remoteAddress(DatagramChannel ch) {
    return ch.remoteAddress();
  }

  /** What the channel writes to send {@code payload} to its connected peer. */
  Object toPeer(DatagramChannel ch, ByteBuf payload) {
    return payload;
  }

  /**
   * Sends a zero-length datagram, which Node sends and Netty's transports skip: to {@code dest}, or
   * to the connected peer when it is null. Loop thread, with Netty's outbound buffer empty.
   */
  public abstract void sendEmpty(DatagramChannel ch, InetSocketAddress dest) throws IOException;

  /**
   * A slot that holds the largest datagram whole (65,507 B over IPv4, 65,527 B over IPv6), so none
   * is ever cut short; a multiple of the page size, so each slot of a batched read starts on a
   * page.
   */
  static final int READ_SLOT = 65_536;

  /** How many datagrams one wake-up reads at most before the loop turns to other work. */
  static final int READS_PER_WAKEUP = 64;

  /** The read buffers of every channel read one datagram at a time: one per loop thread. */
  private static final ReadBuffers READS = new ReadBuffers(READ_SLOT, READS_PER_WAKEUP);

  /**
   * Sets how the channel reads: here one datagram per read call into a {@link #READ_SLOT} buffer,
   * {@link #READS_PER_WAKEUP} per wake-up.
   */
  void configureReads(DatagramChannel ch) {
    ch.config().setRecvByteBufAllocator(READS);
  }

  /** Whether {@link #segmented} works here: UDP GSO (UDP_SEGMENT, Linux 4.18+) on epoll. */
  public boolean supportsGso() {
    return false;
  }

  /**
   * Wraps {@code content} as one GSO write that the kernel cuts into {@code segmentSize}-byte
   * datagrams to {@code to}. Only when {@link #supportsGso()}.
   */
  DatagramPacket segmented(ByteBuf content, int segmentSize, InetSocketAddress to) {
    throw new UnsupportedOperationException("UDP GSO on " + name());
  }

  /** Sets SO_REUSEADDR, SO_REUSEPORT and IPV6_V6ONLY before bind, as libuv's bind flags do. */
  public abstract void setBindFlags(
      DatagramChannel ch, boolean ipv6, boolean reuseAddr, boolean reusePort, boolean ipv6Only)
      throws IOException;

  /**
   * Runs {@code then} on the loop once a closed channel's descriptor is really released, so that
   * its port is free when {@code 'close'} is emitted, as in Node.
   */
  public void whenReleased(DatagramChannel ch, Runnable then) {
    ch.eventLoop().execute(then);
  }

  /**
   * The datagrams the kernel dropped for this socket (Linux's sk_drops), read now; -1 where the
   * transport cannot tell. Any thread.
   */
  public long kernelDrops(DatagramChannel ch, boolean ipv6) {
    return -1;
  }

  /** Returns SO_RCVBUF or SO_SNDBUF as the kernel reports it (Linux: twice what was set). */
  public int bufferSize(DatagramChannel ch, boolean recv) {
    return recv ? ch.config().getReceiveBufferSize() : ch.config().getSendBufferSize();
  }

  /** Sets SO_RCVBUF or SO_SNDBUF. */
  public void setBufferSize(DatagramChannel ch, boolean recv, int size) {
    if (recv) {
      ch.config().setReceiveBufferSize(size);
    } else {
      ch.config().setSendBufferSize(size);
    }
  }

  /** Sets the unicast TTL (IP_TTL) or hop limit (IPV6_UNICAST_HOPS). */
  public abstract void setTtl(DatagramChannel ch, boolean ipv6, int ttl) throws IOException;

  /** Sets IP_MULTICAST_TTL or IPV6_MULTICAST_HOPS. */
  public abstract void setMulticastTtl(DatagramChannel ch, boolean ipv6, int ttl)
      throws IOException;

  /** Sets IP_MULTICAST_LOOP or IPV6_MULTICAST_LOOP. */
  public abstract void setMulticastLoop(DatagramChannel ch, boolean ipv6, boolean on)
      throws IOException;

  /**
   * Sets the outgoing multicast interface: for IPv4 by the interface's address ({@code 0.0.0.0} for
   * the system's choice), for IPv6 by interface index (0 for the system's choice).
   */
  public abstract void setMulticastInterface(
      DatagramChannel ch, boolean ipv6, InetAddress v4Interface, int v6Index) throws IOException;

  /**
   * Joins or leaves a group, any-source when {@code source} is null.
   *
   * @param v4Interface the IPv4 interface address, or null for the system's choice
   * @param v6Index the IPv6 interface index, or 0 for the system's choice
   */
  public abstract void membership(
      DatagramChannel ch,
      boolean ipv6,
      boolean join,
      InetAddress group,
      InetAddress source,
      InetAddress v4Interface,
      int v6Index)
      throws IOException;
}
