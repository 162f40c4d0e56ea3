package dev.jdgram.internal;

import dev.jdgram.BlockList;
import dev.jdgram.RemoteInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A socket's receive path, the one handler in its Netty pipeline: each datagram is copied out of
 * Netty's pooled buffer into a fresh array, the buffer released at once, and {@code 'message'}
 * emitted with Node's {@code rinfo}. Per datagram it allocates only that array and the RemoteInfo:
 * the sender's text and family are cached for the last sender. Loop thread only.
 *
 * <p>It implements {@link ChannelInboundHandler} itself rather than extending Netty's adapter:
 * Netty computes a handler's event mask once per class, by reflection over the adapter's
 * {@code @Skip} annotations, which cost the process's first socket about 20 ms.
 */
@ChannelHandler.Sharable // one per socket; the socket's channels all run on its one loop
final class Receiver implements ChannelInboundHandler {
  private final SocketCore core;
  private final SocketEvents events;
  private final boolean udp6;
  private final BlockList blockList;
  private final SocketCounters counters;

  /** Whether IPv4 senders are reported as ::ffff:a.b.c.d: udp6 on a dual-stack descriptor. */
  private boolean mapIpv4Senders;

  private InetAddress lastSender;
  private InetAddress lastSenderSeen;
  private String lastSenderText;
  private String lastSenderFamily;

  Receiver(
      SocketCore core,
      SocketEvents events,
      boolean udp6,
      BlockList blockList,
      SocketCounters counters) {
    this.counters = counters;
    this.core = core;
    this.events = events;
    this.udp6 = udp6;
    this.blockList = blockList;
  }

  /** The socket's channel is known now: its own, or an adopted descriptor of either family. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    mapIpv4Senders =
        udp6 && !Boolean.TRUE.equals(ctx.channel().attr(Transport.INET4_DESCRIPTOR).get());
    lastSender = null; // a sender's text depends on the flag above
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {}

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) {
    ctx.fireChannelRegistered();
  }

  @Override
  public void channelUnregistered(ChannelHandlerContext ctx) {
    ctx.fireChannelUnregistered();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ctx.fireChannelInactive();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof DatagramPacket) {
      onDatagram((DatagramPacket) msg);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The kernel takes writes again after pushing back: the sends that waited go on. */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      core.sendQueue().schedule();
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** A receive failed (on a connected socket, an ICMP error): Node emits it as recvmsg's. */
  // Deprecated only on ChannelHandler: an inbound handler still receives read failures here.
  @Override
  @SuppressWarnings("deprecation")
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!core.isClosed()) {
      events.error(NodeErrors.errno(ErrorMapping.toErrno(cause), "recvmsg", cause));
    }
  }

  private void onDatagram(DatagramPacket packet) {
    try {
      if (core.isClosed()) {
        return; // Node stops receiving in close(): nothing is emitted after it
      }
      InetSocketAddress sender = packet.sender();
      InetAddress raw = sender.getAddress();
      if (!raw.equals(lastSender) || Addresses.scopeId(raw) != Addresses.scopeId(lastSender)) {
        // InetAddress.equals ignores an IPv6 zone, and fe80::1%eth0 is not fe80::1%eth1.
        InetAddress seen =
            mapIpv4Senders && raw instanceof Inet4Address ? mapped((Inet4Address) raw) : raw;
        lastSender = raw;
        lastSenderSeen = seen;
        lastSenderText = Addresses.format(seen, false);
        lastSenderFamily = seen instanceof Inet6Address ? Addresses.IPV6 : Addresses.IPV4;
      }
      if (blockList != null && blockList.check(lastSenderSeen)) {
        counters.receiveBlockedOnLoop();
        return; // Node drops datagrams from blocked senders silently
      }
      ByteBuf content = packet.content();
      int n = content.readableBytes();
      byte[] bytes = new byte[n];
      content.getBytes(content.readerIndex(), bytes);
      counters.receivedOnLoop(n);
      events.message(bytes, new RemoteInfo(lastSenderText, lastSenderFamily, sender.getPort(), n));
    } finally {
      packet.release();
    }
  }

  /** A dual-stack udp6 socket sees an IPv4 sender as ::ffff:a.b.c.d, as Node reports it. */
  private static InetAddress mapped(Inet4Address v4) {
    byte[] b = new byte[16];
    b[10] = (byte) 0xff;
    b[11] = (byte) 0xff;
    System.arraycopy(v4.getAddress(), 0, b, 12, 4);
    try {
      return Inet6Address.getByAddress(null, b, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
