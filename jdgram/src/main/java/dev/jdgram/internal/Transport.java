package dev.jdgram.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * One of the Netty transports jdgram runs on, with the socket options that each spells its own way.
 *
 * <p>Linux gets Netty's native epoll transport, which reaches every option Node sets (unicast TTL,
 * memberships exactly as libuv sets them, fd adoption); elsewhere Java NIO. The system property
 * {@code dev.jdgram.transport} ({@code auto}, {@code epoll} or {@code nio}) picks one, so the test
 * suite runs on both.
 *
 * <p>Every socket option method throws the transport's own exception; callers map it with {@link
 * ErrorMapping}.
 */
public abstract class Transport {
  /** The system property that picks the transport. */
  public static final String PROPERTY = "dev.jdgram.transport";

  private static volatile Transport defaultTransport;

  /** Returns the transport that sockets use, chosen once per JVM. */
  public static Transport get() {
    Transport t = defaultTransport;
    if (t == null) {
      synchronized (Transport.class) {
        t = defaultTransport;
        if (t == null) {
          t = choose(System.getProperty(PROPERTY, "auto"));
          defaultTransport = t;
        }
      }
    }
    return t;
  }

  static Transport choose(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "epoll":
        if (!EpollTransport.available()) {
          throw new IllegalStateException(
              "jdgram: epoll transport requested but unavailable: " + EpollTransport.cause());
        }
        return new EpollTransport();
      case "nio":
        return new NioTransport();
      case "auto":
      case "":
        return EpollTransport.available() ? new EpollTransport() : new NioTransport();
      default:
        throw new IllegalArgumentException(
            "jdgram: unknown " + PROPERTY + " '" + name + "' (auto, epoll or nio)");
    }
  }

  private volatile EventLoopGroup group;

  /** The transport's name, {@code "epoll"} or {@code "nio"}. */
  public abstract String name();

  /**
   * The shared event-loop group: one thread, like Node's one loop, and a daemon, so the loop alone
   * never keeps the JVM alive (sockets do that, through KeepAlive).
   */
  public EventLoopGroup group() {
    EventLoopGroup g = group;
    if (g == null) {
      synchronized (this) {
        g = group;
        if (g == null) {
          g = newGroup(1, "");
          group = g;
        }
      }
    }
    return g;
  }

  /** A new group of daemon loop threads named {@code jdgram-<transport><suffix>-...}. */
  EventLoopGroup newGroup(int threads, String suffix) {
    ThreadFactory factory = new DefaultThreadFactory("jdgram-" + name() + suffix, true);
    return new MultiThreadIoEventLoopGroup(threads, factory, ioHandlerFactory());
  }

  private volatile LoopPool ownLoops;

  /** The loops of sockets created with {@code ownEventLoop}, one per processor. */
  LoopPool ownLoops() {
    LoopPool p = ownLoops;
    if (p == null) {
      synchronized (this) {
        p = ownLoops;
        if (p == null) {
          p = new LoopPool(newGroup(Runtime.getRuntime().availableProcessors(), "-own"));
          ownLoops = p;
        }
      }
    }
    return p;
  }

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
      throws Exception;

  /**
   * Runs {@code then} on the loop once a closed channel's descriptor is really released, so that
   * its port is free when {@code 'close'} is emitted, as in Node.
   */
  public void whenReleased(DatagramChannel ch, Runnable then) {
    ch.eventLoop().execute(then);
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
  public abstract void setTtl(DatagramChannel ch, boolean ipv6, int ttl) throws Exception;

  /** Sets IP_MULTICAST_TTL or IPV6_MULTICAST_HOPS. */
  public abstract void setMulticastTtl(DatagramChannel ch, boolean ipv6, int ttl) throws Exception;

  /** Sets IP_MULTICAST_LOOP or IPV6_MULTICAST_LOOP. */
  public abstract void setMulticastLoop(DatagramChannel ch, boolean ipv6, boolean on)
      throws Exception;

  /**
   * Sets the outgoing multicast interface: for IPv4 by the interface's address ({@code 0.0.0.0} for
   * the system's choice), for IPv6 by interface index (0 for the system's choice).
   */
  public abstract void setMulticastInterface(
      DatagramChannel ch, boolean ipv6, InetAddress v4Interface, int v6Index) throws Exception;

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
      throws Exception;
}
