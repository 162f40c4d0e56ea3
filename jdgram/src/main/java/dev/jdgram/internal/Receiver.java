package dev.jdgram.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

/** The socket's one pipeline handler: hands datagrams and receive errors to its SocketCore. */
@ChannelHandler.Sharable
final class Receiver extends ChannelInboundHandlerAdapter {
  private final SocketCore core;

  Receiver(SocketCore core) {
    this.core = core;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof DatagramPacket) {
      core.onDatagram((DatagramPacket) msg);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    core.onReadError(cause);
  }
}
