/**
 * jdgram: Node.js's {@code node:dgram} module in Java, on Netty. Start at {@link dev.jdgram.Dgram}.
 */
module dev.jdgram {
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.transport.unix.common;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.classes.io_uring;
  requires jdk.jfr;

  exports dev.jdgram;
}
