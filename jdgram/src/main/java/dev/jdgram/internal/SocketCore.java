package dev.jdgram.internal;

import dev.jdgram.AddressInfo;
import dev.jdgram.BlockList;
import dev.jdgram.Callback;
import dev.jdgram.DgramException;
import dev.jdgram.Lookup;
import dev.jdgram.SendCallback;
import dev.jdgram.SocketStats;
import dev.jdgram.internal.jfr.JfrHooks;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One socket: the operations behind {@code DgramSocket}'s methods, on one Netty channel and one
 * event loop. The state lives in {@link SocketState} (its transition table is there), the bind path
 * in {@link Binder}, sends and connects in call order in {@link SendQueue}, options in {@link
 * SocketSettings}, received datagrams in {@link Receiver}, listeners in {@link SocketEvents}.
 *
 * <h2>Threading</h2>
 *
 * Public methods run on the caller's thread: they check the state and throw Node's synchronous
 * errors there, then hand the work to the socket's loop. Socket options are the exception: {@link
 * SocketSettings} sets them on the caller's thread, straight on the descriptor (setsockopt(2) is
 * safe from any thread), so their errors are thrown as Node's are. A method that must run on the
 * loop is named {@code ...OnLoop} and asserts it ({@code assert loop.inEventLoop()}; tests run with
 * {@code -ea}). Listeners run on the loop with no lock held. Only bindSync, connectSync, disconnect
 * and the implicit bind of addMembership wait for the loop, each for one task of its own (inline
 * when the caller is the loop thread).
 */
public final class SocketCore {
  private final boolean udp6;
  private final Transport transport;
  private final EventLoop loop;

  /** Whether the loop is one of the transport's own loops (ownEventLoop), not the shared one. */
  private final boolean ownLoop;

  private final SocketState state = new SocketState();
  private final SocketEvents events = new SocketEvents();
  private final SendQueue queue;
  private final SocketSettings settings;
  private final Binder binder;
  private final Connector connector;
  private final Sender sender;
  private final SocketCounters counters = new SocketCounters();

  /** The kernel's drop count when the channel closed; -1 until then. */
  private volatile long finalKernelDrops = -1;

  private Runnable onClosed; // guarded by this

  public SocketCore(
      boolean udp6,
      Lookup lookup,
      boolean reuseAddr,
      boolean reusePort,
      boolean ipv6Only,
      int recvBufferSize,
      int sendBufferSize,
      BlockList receiveBlockList,
      BlockList sendBlockList,
      boolean ownEventLoop,
      long sendQueueLimit,
      int sendQueueCountLimit) {
    this.udp6 = udp6;
    this.transport = Transports.current();
    this.ownLoop = ownEventLoop;
    this.loop = Transports.loops().take(ownEventLoop);
    Resolver resolver =
        new Resolver(lookup == null ? DefaultLookup.INSTANCE : lookup, udp6 ? 6 : 4, loop);
    this.queue =
        new SendQueue(
            this,
            events,
            resolver,
            loop,
            udp6,
            sendBlockList,
            counters,
            sendQueueLimit,
            sendQueueCountLimit);
    this.settings = new SocketSettings(this, transport, udp6);
    Receiver receiver = new Receiver(this, events, udp6, receiveBlockList, counters);
    this.binder =
        new Binder(
            this,
            state,
            transport,
            loop,
            udp6,
            new Binder.Flags(reuseAddr, reusePort, ipv6Only, recvBufferSize, sendBufferSize),
            resolver,
            queue,
            events,
            receiver);
    this.connector = new Connector(state, binder, queue, events, loop, udp6, transport);
    this.sender =
        new Sender(state, binder, queue, counters, events, transport, loop, udp6, lookup == null);
    JfrHooks.register(this); // last: the Traffic event may read stats() from now on
  }

  /** The socket's events and their listeners. */
  public SocketEvents events() {
    return events;
  }

  /** The socket's options and memberships. */
  public SocketSettings settings() {
    return settings;
  }

  Transport transport() {
    return transport;
  }

  SendQueue sendQueue() {
    return queue;
  }

  /** The bound channel, or null. */
  DatagramChannel channel() {
    return state.channel();
  }

  boolean isBound() {
    return state.isBound();
  }

  /** Whether close has run on the loop; loop thread. */
  boolean isCloseDone() {
    return state.isCloseDone();
  }

  public boolean isClosed() {
    return state.isClosed();
  }

  /** Runs once the socket has closed, before 'close' is emitted (used to detach an AbortSignal). */
  public synchronized void onClosed(Runnable hook) {
    this.onClosed = hook;
  }

  /** Node's {@code address || '127.0.0.1'} (or {@code '::1'}): null and "" mean loopback. */
  private String destination(String address) {
    return Addresses.destination(address, udp6);
  }

  /** connect, connectSync and disconnect. */
  Connector connector() {
    return connector;
  }

  // ---------------------------------------------------------------- bind

  /**
   * Node's bind: state checks now, address lookup and bind on the loop.
   *
   * @param address the address, or null or empty for all interfaces
   * @param callback run once on 'listening', dropped on 'error'; may be null
   */
  public void bind(int port, String address, Runnable callback) {
    binder.bind(port, address, callback);
  }

  /** Node's bind({fd}): wraps an open UDP socket now; 'listening' follows on the loop. */
  public void bindFd(int fd, Runnable callback) {
    binder.bindFd(fd, callback);
  }

  /**
   * Node's bindSync: binds to an IP literal now and returns the bound address; the bind runs on the
   * loop while the caller waits (inline when the caller is the loop), its failure is thrown, and
   * 'listening' follows on the loop.
   *
   * @param address an IP literal, or null or empty for all interfaces
   */
  public AddressInfo bindSync(int port, String address) {
    String host = address == null || address.isEmpty() ? binder.anyAddress() : address;
    InetAddress ip = ipLiteral(host);
    state.beginBind();
    DgramException err = Loops.callAndWait(loop, () -> binder.bindSyncOnLoop(ip, host, port));
    if (err != null) {
      throw err;
    }
    return address();
  }

  /** An IP literal for bindSync and connectSync, which never look up a name. */
  private static InetAddress ipLiteral(String address) {
    InetAddress ip = Addresses.parseLiteral(address);
    if (ip == null) {
      throw NodeErrors.invalidArgValue(
          "address", NodeInspect.inspect(address), "must be a numeric IP address");
    }
    return ip;
  }

  // ---------------------------------------------------------------- send

  /**
   * Node's send after argument checks. {@code host} is null for a connected send; {@code array} or
   * {@code buffer} holds the bytes.
   */
  public void send(
      byte[] array,
      int offset,
      int length,
      ByteBuffer buffer,
      boolean connectedSend,
      int port,
      String host,
      SendCallback callback) {
    sender.send(array, offset, length, buffer, connectedSend, port, host, callback);
  }

  /** jdgram's sendMany after argument checks; see {@link Sender#sendMany}. */
  public void sendMany(
      Object[] datagrams, boolean connectedSend, int port, String host, SendCallback callback) {
    sender.sendMany(datagrams, connectedSend, port, host, callback);
  }

  /** Datagrams sent in joined GSO writes of several sends (see Coalesced); for tests. */
  public long coalescedDatagrams() {
    return queue.coalescedDatagrams();
  }

  /** jdgram's stats(): the counters, and the kernel's drop count read now (on any thread). */
  public SocketStats stats() {
    long drops = finalKernelDrops;
    DatagramChannel ch = state.channel();
    if (drops < 0) {
      drops = ch == null ? 0 : transport.kernelDrops(ch, udp6);
    }
    return new SocketStats(
        counters.received(),
        counters.receivedBytes(),
        counters.sent(),
        counters.sentBytes(),
        counters.sendErrors(),
        counters.sendBlocked(),
        counters.queueRefused(),
        counters.receiveBlocked(),
        drops);
  }

  /** Whether the socket is connected now (Node decides a send's form by this). */
  public boolean isConnected() {
    return state.isConnected();
  }

  public int sendQueueCount() {
    state.requireRunning();
    return queue.count();
  }

  public long sendQueueSize() {
    state.requireRunning();
    return queue.bytes();
  }

  // ---------------------------------------------------------------- connect

  public void connect(int port, String address, Callback callback) {
    connector.connect(destination(address), port, callback);
  }

  /**
   * Node's connectSync: binds an unbound socket first (to all interfaces, port 0), then connects to
   * an IP literal; the work runs on the loop while the caller waits, its failure is thrown and
   * leaves the socket disconnected, and 'listening' (if it bound) and 'connect' follow on the loop.
   *
   * @param address an IP literal, or null or empty for 127.0.0.1 or ::1
   */
  public void connectSync(int port, String address) {
    String host = destination(address);
    connector.connectSync(ipLiteral(host), host, port);
  }

  public void disconnect() {
    connector.disconnect();
  }

  public AddressInfo remoteAddress() {
    state.requireRunning();
    state.requireConnected();
    InetSocketAddress remote = transport.remoteAddress(state.channel());
    if (remote == null) {
      throw NodeErrors.notConnected(); // a disconnect() on another thread got there first
    }
    return addressInfo(remote);
  }

  public AddressInfo address() {
    // Node queues a close() behind the sends waiting for a bind, its handle still open: in the
    // 'listening' of that bind, address() still answers.
    if (!(loop.inEventLoop() && state.isListeningAfterClose())) {
      state.requireRunning();
    }
    DatagramChannel ch = boundChannel("getsockname");
    SocketAddress local = ch.localAddress();
    if (!(local instanceof InetSocketAddress)) {
      throw NodeErrors.errno(Errno.EBADF, "getsockname", null);
    }
    return addressInfo((InetSocketAddress) local);
  }

  private AddressInfo addressInfo(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    boolean v6 = udp6 || ip instanceof Inet6Address;
    return new AddressInfo(Addresses.format(ip, v6), Addresses.family(ip, v6), a.getPort());
  }

  // ---------------------------------------------------------------- close

  public void close(Runnable callback) {
    synchronized (state) { // a close callback joins 'close' only if this call closes the socket
      if (!state.beginClose()) {
        if (callback != null) {
          loop.execute(() -> SocketEvents.runSafely(callback));
        }
        return;
      }
      if (callback != null) {
        events.emitter().add(SocketEvents.CLOSE, callback, false, false);
      }
    }
    loop.execute(this::closeOnLoop);
  }

  /**
   * Closes the channel and emits 'close', unless sends wait for a pending bind: then the close
   * waits for the bind, as Node queues it behind them. Runs again when that bind settles.
   */
  void closeOnLoop() {
    assert loop.inEventLoop();
    if (state.isCloseDone()) {
      return;
    }
    if (state.bind() == SocketState.Bind.BINDING && !queue.isEmpty()) {
      state.deferCloseOnLoop();
      return;
    }
    // Sends called before close() whose destinations are known go out; the rest fail.
    queue.drainForCloseOnLoop();
    state.closeDoneOnLoop();
    JfrHooks.closed(this, state.channel());
    DatagramChannel ch = state.channel();
    if (ch != null) {
      finalKernelDrops = transport.kernelDrops(ch, udp6); // stats() after close still tells
      ch.close();
    }
    Runnable hook;
    synchronized (this) {
      hook = onClosed;
    }
    if (hook != null) {
      SocketEvents.runSafely(hook);
    }
    // Like Node's process.nextTick(socketCloseNT): 'close' comes after what is already queued,
    // and once the port is free again.
    Runnable emitClose =
        () -> {
          if (ownLoop) {
            Transports.loops().give(loop);
          }
          events.emitClose();
        };
    if (ch != null) {
      transport.whenReleased(ch, emitClose);
    } else {
      loop.execute(emitClose);
    }
  }

  /**
   * Closes a socket created with an already-aborted signal. Node closes it on the next tick, so the
   * creating code's listeners see 'close'; here 'close' also reaches a listener added after it was
   * emitted (see {@link SocketEvents#add}).
   */
  public void closeAtCreation() {
    events.replayCloseOn(loop);
    close(null);
  }

  // ---------------------------------------------------------------- ref / unref

  public void ref() {
    state.ref(true);
  }

  public void unref() {
    state.ref(false);
  }

  // ---------------------------------------------------------------- options

  void checkRunning() {
    state.requireRunning();
  }

  /** The channel of a bound socket; an unbound one has no descriptor, so EBADF, as in Node. */
  DatagramChannel boundChannel(String syscall) {
    DatagramChannel ch = state.channel();
    if (!state.isBound() || ch == null) {
      throw NodeErrors.errno(Errno.EBADF, syscall, null);
    }
    return ch;
  }

  /** The implicit bind of membership calls; see {@link Binder#bindForMembership}. */
  boolean bindForMembership(String syscall, Runnable whenBound) {
    return binder.bindForMembership(syscall, whenBound);
  }
}
