package dev.jdgram.bench.subject;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Raw Netty epoll, the floor under jdgram's semantics layer, configured as jdgram configures its
 * channels: {@link EpollDatagramChannel}, one event-loop thread, recvmmsg ({@code
 * MAX_DATAGRAM_PAYLOAD_SIZE} set) into a fixed read allocation of 64 KiB per datagram, 16 datagrams
 * per recvmmsg and up to 64 messages per epoll wake-up (the constants of jdgram's transports), each
 * datagram copied into a fresh {@code byte[]} (what a jdgram listener gets).
 *
 * <p>Modes: {@code recv}, {@code scale sockets=N portsFile=F}, {@code multicore sockets=N}, {@code
 * send port=P|portsFile=F size=S gso=K channels=C window=W} (sendmmsg, or UDP GSO when K &gt; 1:
 * also the blaster that outruns every receiver), {@code echo}, {@code ping port=P}.
 */
public final class NettySubject {
  /** Per-datagram read slot, as jdgram: large enough for any IPv4 or IPv6 datagram. */
  static final int SLOT = 65_536;

  /** Datagrams per read allocation, so per recvmmsg call (jdgram's EpollTransport). */
  static final int PER_RECVMMSG = 16;

  /** Netty's maxMessagesPerRead: reads per epoll wake-up (jdgram's Transport.READS_PER_WAKEUP). */
  static final int PER_WAKEUP = 64;

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private NettySubject() {}

  /**
   * Runs one mode.
   *
   * @param args the mode and its {@code key=value} parameters
   */
  public static void main(String[] args) throws Exception {
    Params p = new Params(args, 1);
    switch (args[0]) {
      case "recv" -> receive(1, false, p, null);
      case "scale" -> receive(p.integer("sockets", 10_000), false, p, p.text("portsFile", null));
      case "multicore" -> receive(p.integer("sockets", 1), true, p, null);
      case "send" -> send(p);
      case "echo" -> echo();
      case "ping" -> ping(p);
      default -> Control.fail("unknown mode " + args[0], null);
    }
  }

  private static EventLoopGroup group(int threads) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory("netty-loop", true), EpollIoHandler.newFactory());
  }

  private static EpollDatagramChannel receiveChannel() {
    EpollDatagramChannel ch = new EpollDatagramChannel(SocketProtocolFamily.INET);
    ch.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, SLOT);
    ch.config()
        .setRecvByteBufAllocator(
            new FixedRecvByteBufAllocator(SLOT * PER_RECVMMSG).maxMessagesPerRead(PER_WAKEUP));
    return ch;
  }

  /** Copies each datagram into a byte[] and counts it. */
  private static final class Receiving extends ChannelInboundHandlerAdapter {
    final Meter meter = new Meter();
    byte[] last; // keeps the copy alive so the JIT cannot drop it

    @Override
    public boolean isSharable() {
      return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket packet = (DatagramPacket) msg;
      try {
        ByteBuf content = packet.content();
        int n = content.readableBytes();
        byte[] bytes = new byte[n];
        content.getBytes(content.readerIndex(), bytes);
        last = bytes;
        meter.add(1, n);
      } finally {
        packet.release();
      }
    }
  }

  private static void receive(int sockets, boolean reusePort, Params p, String portsFile)
      throws Exception {
    EventLoopGroup group = group(reusePort ? sockets : 1);
    List<Meter> meters = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    int port = p.integer("port", 0);
    Receiving shared = new Receiving();
    meters.add(shared.meter);
    for (int i = 0; i < sockets; i++) {
      EpollDatagramChannel ch = receiveChannel();
      Receiving handler = shared;
      if (reusePort) {
        ch.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
        if (i > 0) {
          handler = new Receiving(); // each socket has its own loop thread
          meters.add(handler.meter);
        }
      }
      ch.pipeline().addLast(handler);
      group.register(ch).sync();
      ch.bind(new InetSocketAddress(LOOPBACK, reusePort ? port : p.integer("port", 0))).sync();
      int bound = ch.localAddress().getPort();
      if (reusePort && i == 0) {
        port = bound;
      }
      ports.add(bound);
    }
    readyWithPorts(ports, portsFile);
    Meter.Window window = new Meter.Window(meters);
    Control.serve(window::mark, window::stop);
  }

  static void readyWithPorts(List<Integer> ports, String portsFile) throws IOException {
    if (portsFile != null) {
      StringBuilder sb = new StringBuilder();
      for (int port : ports) {
        sb.append(port).append('\n');
      }
      Files.writeString(Path.of(portsFile), sb.toString(), StandardCharsets.US_ASCII);
    }
    Control.ready("port=" + ports.get(0) + " sockets=" + ports.size());
  }

  static List<InetSocketAddress> destinations(Params p) throws IOException {
    List<InetSocketAddress> out = new ArrayList<>();
    String file = p.text("portsFile", null);
    if (file != null) {
      for (String line : Files.readAllLines(Path.of(file), StandardCharsets.US_ASCII)) {
        if (!line.isBlank()) {
          out.add(new InetSocketAddress(LOOPBACK, Integer.parseInt(line.trim())));
        }
      }
    } else {
      out.add(new InetSocketAddress(LOOPBACK, p.integer("port", 0)));
    }
    return out;
  }

  /**
   * Sends flat out from {@code channels} channels, each on its own loop, each its own source port.
   */
  private static void send(Params p) throws Exception {
    int size = p.integer("size", 64);
    int gso = p.integer("gso", 1);
    int channels = p.integer("channels", 1);
    int window = p.integer("window", 128);
    List<InetSocketAddress> dests = destinations(p);
    if (gso > 1 && !EpollDatagramChannel.isSegmentedDatagramPacketSupported()) {
      Control.fail("UDP GSO (SegmentedDatagramPacket) is not supported here", null);
    }
    EventLoopGroup group = group(channels);
    List<Meter> meters = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      EpollDatagramChannel ch = new EpollDatagramChannel(SocketProtocolFamily.INET);
      group.register(ch).sync();
      ch.bind(new InetSocketAddress(LOOPBACK, 0)).sync();
      Pump pump = new Pump(ch, dests, size, gso, Math.max(2, window / gso), c);
      meters.add(pump.meter);
      ch.eventLoop().execute(pump);
    }
    Control.ready("channels=" + channels);
    Meter.Window w = new Meter.Window(meters);
    Control.serve(w::mark, w::stop);
  }

  /** Keeps {@code window} writes in flight on one channel, refilled as they complete; its loop. */
  private static final class Pump implements Runnable {
    final Meter meter = new Meter();
    private final EpollDatagramChannel ch;
    private final List<InetSocketAddress> dests;
    private final ByteBuf payload;
    private final int size;
    private final int gso;
    private final int window;
    private final ChannelFutureListener done;
    private int inFlight;
    private int next;
    private boolean scheduled;

    Pump(
        EpollDatagramChannel ch,
        List<InetSocketAddress> dests,
        int size,
        int gso,
        int window,
        int c) {
      this.ch = ch;
      this.dests = dests;
      this.size = size;
      this.gso = gso;
      this.window = window;
      this.next = c % dests.size();
      this.payload = Unpooled.directBuffer(size * gso);
      for (int i = 0; i < size * gso; i++) {
        payload.writeByte('x');
      }
      this.done =
          f -> {
            inFlight--;
            if (f.isSuccess()) {
              meter.add(gso, (long) gso * size);
            }
            schedule();
          };
    }

    @Override
    public void run() {
      scheduled = false;
      if (!ch.isActive()) {
        return;
      }
      boolean wrote = false;
      while (inFlight < window && ch.isWritable()) {
        InetSocketAddress dest = dests.get(next);
        next = next + 1 == dests.size() ? 0 : next + 1;
        DatagramPacket packet =
            gso > 1
                ? new SegmentedDatagramPacket(payload.retainedDuplicate(), size, dest)
                : new DatagramPacket(payload.retainedDuplicate(), dest);
        inFlight++;
        ch.write(packet).addListener(done);
        wrote = true;
      }
      if (wrote) {
        ch.flush();
      }
      schedule();
    }

    private void schedule() {
      if (scheduled || inFlight >= window) {
        return; // a completing write schedules the next round
      }
      scheduled = true;
      EventLoop loop = ch.eventLoop();
      if (ch.isWritable()) {
        loop.execute(this);
      } else {
        loop.schedule(this, 50, TimeUnit.MICROSECONDS);
      }
    }
  }

  private static void echo() throws Exception {
    EventLoopGroup group = group(1);
    EpollDatagramChannel ch = receiveChannel();
    ch.pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                DatagramPacket packet = (DatagramPacket) msg;
                try {
                  ByteBuf content = packet.content();
                  byte[] bytes = new byte[content.readableBytes()];
                  content.getBytes(content.readerIndex(), bytes);
                  ctx.writeAndFlush(
                      new DatagramPacket(
                          ctx.alloc().directBuffer(bytes.length).writeBytes(bytes),
                          packet.sender()));
                } finally {
                  packet.release();
                }
              }
            });
    group.register(ch).sync();
    ch.bind(new InetSocketAddress(LOOPBACK, 0)).sync();
    Control.ready("port=" + ch.localAddress().getPort());
    Control.serve(() -> {}, () -> "count=0");
  }

  private static void ping(Params p) throws Exception {
    Control.exitOnEndOfInput();
    EventLoopGroup group = group(1);
    EpollDatagramChannel ch = receiveChannel();
    InetSocketAddress server = new InetSocketAddress(LOOPBACK, p.integer("port", 0));
    PingClient client =
        new PingClient(
            p.integer("warmup", 20_000),
            p.integer("count", 100_000),
            p.integer("size", 64),
            payload ->
                ch.writeAndFlush(
                    new DatagramPacket(
                        ch.alloc().directBuffer(payload.length).writeBytes(payload), server)));
    ch.pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                DatagramPacket packet = (DatagramPacket) msg;
                try {
                  ByteBuf content = packet.content();
                  byte[] bytes = new byte[content.readableBytes()];
                  content.getBytes(content.readerIndex(), bytes);
                  client.onReply(bytes);
                } finally {
                  packet.release();
                }
              }
            });
    group.register(ch).sync();
    ch.bind(new InetSocketAddress(LOOPBACK, 0)).sync();
    client.startWatchdog();
    ch.eventLoop().execute(client::start);
    Thread.currentThread().join(); // the client halts the JVM when done
  }
}
