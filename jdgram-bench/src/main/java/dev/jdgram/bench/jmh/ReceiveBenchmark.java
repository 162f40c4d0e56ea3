package dev.jdgram.bench.jmh;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One operation is one 64 B datagram delivered to a jdgram {@code 'message'} listener (or, for
 * {@code netty}, to a raw Netty epoll handler that copies it into a byte[], jdgram's floor). Run
 * with {@code -prof gc}: {@code gc.alloc.rate.norm} is then the heap bytes allocated per delivered
 * datagram by every thread of the JVM, the library's event loop included.
 *
 * <p>The benchmark thread sends a batch of datagrams from a connected JDK {@link DatagramChannel}
 * out of a direct buffer (which allocates nothing per send) and spins until the listener has seen
 * them all; a batch not delivered within a second is sent again (loopback drops nothing at this
 * depth, but a benchmark must never hang). Each {@code subject} runs in its own fork, so the jdgram
 * transport is chosen per fork through its system property.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReceiveBenchmark {
  /** Datagrams per benchmark invocation: few enough that the receive buffer never overflows. */
  static final int BATCH = 32;

  /** The payload size. */
  static final int SIZE = 64;

  /** What receives: jdgram-epoll, jdgram-nio or netty (jdgram-io_uring on request). */
  @Param({"jdgram-epoll", "jdgram-nio", "netty"})
  public String subject;

  private volatile long received;
  private DatagramChannel sender;
  private final ByteBuffer payload = ByteBuffer.allocateDirect(SIZE);
  private DgramSocket socket;
  private EventLoopGroup group;
  private EpollDatagramChannel channel;

  /** Keeps the listener's array reachable so the JIT cannot remove the copy. */
  public byte[] last;

  /** Binds the receiver and connects the sender. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    int port;
    if (subject.startsWith("jdgram-")) {
      System.setProperty("dev.jdgram.transport", subject.substring("jdgram-".length()));
      socket = Dgram.createSocket("udp4");
      socket.on(
          DgramSocket.MESSAGE,
          (msg, rinfo) -> {
            last = msg;
            received++;
          });
      CountDownLatch bound = new CountDownLatch(1);
      socket.bind(0, "127.0.0.1", bound::countDown);
      if (!bound.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("bind timed out");
      }
      port = socket.address().port();
    } else {
      group =
          new MultiThreadIoEventLoopGroup(
              1, new DefaultThreadFactory("netty-loop", true), EpollIoHandler.newFactory());
      channel = new EpollDatagramChannel(SocketProtocolFamily.INET);
      channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 65_536);
      channel
          .config()
          .setRecvByteBufAllocator(
              new FixedRecvByteBufAllocator(16 * 65_536).maxMessagesPerRead(64));
      channel
          .pipeline()
          .addLast(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  io.netty.channel.socket.DatagramPacket p =
                      (io.netty.channel.socket.DatagramPacket) msg;
                  ByteBuf content = p.content();
                  byte[] bytes = new byte[content.readableBytes()];
                  content.getBytes(content.readerIndex(), bytes);
                  p.release();
                  last = bytes;
                  received++;
                }
              });
      group.register(channel).sync();
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
      port = channel.localAddress().getPort();
    }
    sender = DatagramChannel.open();
    sender.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    while (payload.hasRemaining()) {
      payload.put((byte) 'x');
    }
  }

  /** Closes everything. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    sender.close();
    if (socket != null) {
      socket.close();
    }
    if (channel != null) {
      channel.close().sync();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /**
   * Sends a batch and waits until every datagram of it has reached the listener.
   *
   * @return the listener's count, so nothing is dead code
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long receive() throws IOException {
    long target = received + BATCH;
    sendBatch(BATCH);
    long resendAt = System.nanoTime() + 1_000_000_000L;
    long now;
    while ((now = received) < target) {
      if (System.nanoTime() > resendAt) {
        sendBatch((int) (target - now));
        resendAt = System.nanoTime() + 1_000_000_000L;
      }
      Thread.onSpinWait();
    }
    return now;
  }

  private void sendBatch(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      payload.clear();
      sender.write(payload);
    }
  }
}
