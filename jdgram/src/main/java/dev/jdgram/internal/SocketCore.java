package dev.jdgram.internal;

import dev.jdgram.AddressInfo;
import dev.jdgram.BlockList;
import dev.jdgram.Callback;
import dev.jdgram.DgramException;
import dev.jdgram.ErrorListener;
import dev.jdgram.Lookup;
import dev.jdgram.MessageListener;
import dev.jdgram.RemoteInfo;
import dev.jdgram.SendCallback;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.internal.PlatformDependent;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state machine of one socket: Node's bind, connect and close states, the queue of sends and
 * connects in call order, and every socket option, on one Netty channel and one event loop.
 *
 * <p>Public methods run on the caller's thread: they check state under this object's lock and throw
 * Node's synchronous errors; the work itself runs on the loop. Methods named {@code ...OnLoop} and
 * everything that emits run on the loop thread only, with no lock held while a listener runs.
 */
public final class SocketCore {
  public static final int CLOSE = 0;
  public static final int CONNECT = 1;
  public static final int ERROR = 2;
  public static final int LISTENING = 3;
  public static final int MESSAGE = 4;
  public static final int EVENTS = 5;

  /**
   * The largest UDP payloads the kernel takes: 65,535 less the UDP and IPv4 headers; for IPv6, less
   * UDP's only.
   */
  static final int MAX_UDP4_PAYLOAD = 65_507;

  static final int MAX_UDP6_PAYLOAD = 65_527;

  /** A read buffer that holds the largest datagram whole, so none is ever cut short. */
  private static final int READ_BUFFER = 65_536;

  /** How long a synchronous method waits for the loop before it gives up. */
  private static final long SYNC_TIMEOUT_SECONDS = 30;

  private enum BindState {
    UNBOUND,
    BINDING,
    BOUND
  }

  private enum ConnectState {
    DISCONNECTED,
    CONNECTING,
    CONNECTED
  }

  private final boolean udp6;
  private final Transport transport;
  private final EventLoop loop;
  private final Emitter emitter = new Emitter(EVENTS);
  private final Lookup lookup;
  private final boolean defaultLookup;
  private final boolean reuseAddr;
  private final boolean reusePort;
  private final boolean ipv6Only;
  private final int recvBufferSize;
  private final int sendBufferSize;
  private final BlockList receiveBlockList;
  private final BlockList sendBlockList;
  private final Receiver receiver = new Receiver(this);
  private final Queue<Op> ops = PlatformDependent.newMpscQueue();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicInteger queuedCount = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Runnable drainTask = this::drainOnLoop;

  // State visible to every thread; transitions under `this`.
  private volatile boolean closed;
  private volatile BindState bindState = BindState.UNBOUND;
  private volatile ConnectState connectState = ConnectState.DISCONNECTED;
  private volatile DatagramChannel channel;
  private volatile CompletableFuture<Void> bindSettled = new CompletableFuture<>();
  private boolean refed = true;
  private boolean holdingKeepAlive;
  private Runnable onClosed;

  // Loop-thread state.
  private boolean closeAfterBind;
  private boolean closeDone;
  private InetAddress lastSender;
  private InetAddress lastSenderSeen;
  private String lastSenderText;
  private String lastSenderFamily;

  // The last literal destination, so repeated sends to one address parse it once.
  private volatile CachedDestination lastDestination;

  private static final class CachedDestination {
    final String host;
    final int port;
    final InetSocketAddress address;

    CachedDestination(String host, int port, InetSocketAddress address) {
      this.host = host;
      this.port = port;
      this.address = address;
    }
  }

  public SocketCore(
      boolean udp6,
      Lookup lookup,
      boolean reuseAddr,
      boolean reusePort,
      boolean ipv6Only,
      int recvBufferSize,
      int sendBufferSize,
      BlockList receiveBlockList,
      BlockList sendBlockList) {
    this.udp6 = udp6;
    this.transport = Transport.get();
    this.loop = transport.group().next();
    this.lookup = lookup == null ? DefaultLookup.INSTANCE : lookup;
    this.defaultLookup = lookup == null;
    this.reuseAddr = reuseAddr;
    this.reusePort = reusePort;
    this.ipv6Only = ipv6Only;
    this.recvBufferSize = recvBufferSize;
    this.sendBufferSize = sendBufferSize;
    this.receiveBlockList = receiveBlockList;
    this.sendBlockList = sendBlockList;
  }

  public Emitter emitter() {
    return emitter;
  }

  public boolean isUdp6() {
    return udp6;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Runs once the socket has closed, before 'close' is emitted (used to detach an AbortSignal). */
  public synchronized void onClosed(Runnable hook) {
    this.onClosed = hook;
  }

  private String anyAddress() {
    return udp6 ? "::" : "0.0.0.0";
  }

  private String defaultDestination() {
    return udp6 ? "::1" : "127.0.0.1";
  }

  private int family() {
    return udp6 ? 6 : 4;
  }

  // ---------------------------------------------------------------- bind

  /**
   * Node's bind: state checks now, address lookup and bind on the loop.
   *
   * @param address the address, or null or empty for all interfaces
   * @param callback run once on 'listening', dropped on 'error'; may be null
   */
  public void bind(int port, String address, Runnable callback) {
    synchronized (this) {
      checkBindable();
      startBinding();
    }
    if (callback != null) {
      BindCallback cb = new BindCallback(callback);
      emitter.add(LISTENING, cb, false, false);
      emitter.add(ERROR, cb, false, false);
    }
    String host = address == null || address.isEmpty() ? anyAddress() : address;
    loop.execute(() -> startBindOnLoop(host, port));
  }

  /** Node's bind({fd}): wraps an open UDP socket now; 'listening' follows on the loop. */
  public void bindFd(int fd, Runnable callback) {
    synchronized (this) {
      checkBindable();
      DatagramChannel ch = transport.adopt(fd);
      startBinding();
      if (callback != null) {
        BindCallback cb = new BindCallback(callback);
        emitter.add(LISTENING, cb, false, false);
        emitter.add(ERROR, cb, false, false);
      }
      loop.execute(() -> registerAndBindOnLoop(ch, null, null, 0, false));
    }
  }

  private void checkBindable() {
    if (closed) {
      throw NodeErrors.notRunning();
    }
    if (bindState != BindState.UNBOUND) {
      throw NodeErrors.alreadyBound();
    }
  }

  /** The implicit bind of send, connect and membership: port 0, all interfaces. Holds the lock. */
  /** Enters BINDING. Caller holds the lock. */
  private void startBinding() {
    bindState = BindState.BINDING;
    if (bindSettled.isDone()) {
      bindSettled = new CompletableFuture<>();
    }
    updateKeepAlive();
  }

  private void implicitBindLocked() {
    startBinding();
    String any = anyAddress();
    loop.execute(() -> startBindOnLoop(any, 0));
  }

  private void startBindOnLoop(String host, int port) {
    resolveOnLoop(
        host,
        (ip, err) -> {
          if (closeDone || (closed && ops.isEmpty())) {
            return; // closed while the lookup ran, nothing queued: Node drops the bind silently
          }
          // Closed with sends queued: bind anyway, so they go out before the queued close.

          if (err != null) {
            bindFailedOnLoop(err);
            return;
          }
          if (!Addresses.fitsFamily(ip, udp6)) {
            bindFailedOnLoop(
                NodeErrors.withHostPort(
                    Errno.EINVAL, "bind", Addresses.format(ip, false), port, null));
            return;
          }
          DatagramChannel ch;
          try {
            ch = transport.newChannel(udp6);
          } catch (RuntimeException e) {
            bindFailedOnLoop(
                NodeErrors.withHostPort(
                    ErrorMapping.toErrno(e), "bind", Addresses.format(ip, false), port, e));
            return;
          }
          registerAndBindOnLoop(ch, ip, host, port, false);
        });
  }

  /**
   * Configures, registers and binds a channel (or, with a null address, registers an adopted one
   * that is bound already). Netty runs these inline on the loop, so this completes before it
   * returns.
   */
  // DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION is deprecated but still the only way to keep an epoll
  // channel active after disconnect(): without it, Netty marks the channel inactive and fails
  // every later write, where Node's socket goes on sending.
  @SuppressWarnings("deprecation")
  private void registerAndBindOnLoop(
      DatagramChannel ch, InetAddress ip, String host, int port, boolean emitLater) {
    String ipText = ip == null ? null : Addresses.format(ip, false);
    try {
      ch.config().setAutoRead(false);
      ch.config().setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true);
      ch.config()
          .setRecvByteBufAllocator(
              new FixedRecvByteBufAllocator(READ_BUFFER).maxMessagesPerRead(16));
      if (ip != null) {
        transport.setBindFlags(ch, udp6, reuseAddr, reusePort, ipv6Only);
      }
      ch.pipeline().addLast(receiver);
    } catch (Exception e) {
      ch.unsafe().closeForcibly();
      bindFailedOnLoop(NodeErrors.withHostPort(ErrorMapping.toErrno(e), "bind", ipText, port, e));
      return;
    }
    ChannelFuture registered = loop.register(ch);
    if (!registered.isSuccess()) {
      ch.unsafe().closeForcibly();
      Throwable c = registered.cause();
      bindFailedOnLoop(NodeErrors.withHostPort(ErrorMapping.toErrno(c), "bind", ipText, port, c));
      return;
    }
    if (ip != null) {
      ChannelFuture bound = ch.bind(new InetSocketAddress(ip, port));
      if (!bound.isSuccess()) {
        Throwable c = bound.cause();
        ch.close();
        bindFailedOnLoop(NodeErrors.withHostPort(ErrorMapping.toErrno(c), "bind", ipText, port, c));
        return;
      }
    }
    boundOnLoop(ch, emitLater);
  }

  private void boundOnLoop(DatagramChannel ch, boolean emitLater) {
    synchronized (this) {
      channel = ch;
      bindState = BindState.BOUND;
      updateKeepAlive();
    }
    bindSettled.complete(null);
    DgramException bufferError = null;
    try {
      if (recvBufferSize > 0) {
        bufferSize(true, recvBufferSize);
      }
      if (sendBufferSize > 0) {
        bufferSize(false, sendBufferSize);
      }
    } catch (DgramException e) {
      bufferError = e;
    }
    if (!closed) {
      ch.config().setAutoRead(true); // Node's recvStart
    }
    DgramException reported = bufferError;
    Runnable announce =
        () -> {
          if (reported != null) {
            emitError(reported);
          }
          emit(LISTENING);
          drainOnLoop();
          if (closeAfterBind) {
            closeOnLoop();
          }
        };
    if (emitLater) {
      loop.execute(announce);
    } else {
      announce.run();
    }
  }

  private void bindFailedOnLoop(DgramException err) {
    Op[] pending;
    synchronized (this) {
      pending = pollAll();
      bindState = BindState.UNBOUND;
      channel = null;
      if (connectState == ConnectState.CONNECTING) {
        connectState = ConnectState.DISCONNECTED;
      }
      updateKeepAlive();
    }
    bindSettled.complete(null);
    emitError(err);
    // Node drops the sends queued behind a failed bind; jdgram tells each callback why.
    for (Op op : pending) {
      op.abandon(this, err);
    }
    if (closeAfterBind) {
      closeOnLoop();
    }
  }

  private Op[] pollAll() {
    java.util.ArrayList<Op> list = new java.util.ArrayList<>();
    Op op;
    while ((op = ops.poll()) != null) {
      list.add(op);
    }
    return list.toArray(new Op[0]);
  }

  // ---------------------------------------------------------------- lookup

  private interface Resolved {
    void accept(InetAddress ip, DgramException err);
  }

  /** Resolves through the socket's Lookup; the continuation runs on the loop. */
  private void resolveOnLoop(String host, Resolved then) {
    CompletionStage<InetAddress> stage;
    try {
      stage = lookup.lookup(host, family());
      if (stage == null) {
        throw new NullPointerException("Lookup returned null for " + host);
      }
    } catch (RuntimeException e) {
      then.accept(null, lookupError(host, e));
      return;
    }
    CompletableFuture<InetAddress> f = toFuture(stage);
    if (f != null && f.isDone()) {
      deliverLookup(host, f, then);
      return;
    }
    stage.whenComplete(
        (ip, t) ->
            loop.execute(
                () -> {
                  if (t != null) {
                    then.accept(null, lookupError(host, t));
                  } else if (ip == null) {
                    then.accept(null, lookupError(host, new NullPointerException("no address")));
                  } else {
                    then.accept(ip, null);
                  }
                }));
  }

  private static CompletableFuture<InetAddress> toFuture(CompletionStage<InetAddress> stage) {
    try {
      return stage.toCompletableFuture();
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  private void deliverLookup(String host, CompletableFuture<InetAddress> f, Resolved then) {
    InetAddress ip;
    try {
      ip = f.getNow(null);
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      then.accept(null, lookupError(host, e));
      return;
    }
    if (ip == null) {
      then.accept(null, lookupError(host, new NullPointerException("no address")));
    } else {
      then.accept(ip, null);
    }
  }

  static DgramException lookupError(String host, Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof DgramException) {
      return (DgramException) c;
    }
    if (c instanceof java.net.UnknownHostException) {
      return NodeErrors.lookupFailed(Errno.ENOTFOUND, host, c);
    }
    Errno e = ErrorMapping.toErrno(c);
    return NodeErrors.lookupFailed(e == Errno.UNKNOWN ? Errno.EAI_AGAIN : e, host, c);
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
    String dest = connectedSend ? null : (host == null ? defaultDestination() : host);
    SendOp op = new SendOp(array, offset, length, buffer, dest, port, callback);
    if (dest != null && defaultLookup) {
      op.destination = literalDestination(dest, port);
      if (op.destination != null) {
        op.resolved = op.destination.getAddress();
      }
    }
    queuedCount.incrementAndGet();
    queuedBytes.addAndGet(length);
    if (bindState == BindState.BOUND && !closed) {
      ops.offer(op); // a close racing with this is caught by drain, which fails the op
    } else {
      synchronized (this) {
        if (closed) {
          queuedCount.decrementAndGet();
          queuedBytes.addAndGet(-length);
          throw NodeErrors.notRunning();
        }
        if (bindState == BindState.UNBOUND) {
          implicitBindLocked();
        }
        ops.offer(op);
      }
    }
    scheduleDrain();
  }

  /** Whether the socket is connected now (Node decides a send's form by this). */
  public boolean isConnected() {
    return connectState == ConnectState.CONNECTED;
  }

  private InetSocketAddress literalDestination(String host, int port) {
    CachedDestination c = lastDestination;
    if (c != null && c.port == port && c.host.equals(host)) {
      return c.address;
    }
    InetAddress ip = Addresses.parseLiteral(host);
    if (ip == null) {
      return null;
    }
    InetSocketAddress a = new InetSocketAddress(ip, port);
    lastDestination = new CachedDestination(host, port, a);
    return a;
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      loop.execute(drainTask);
    }
  }

  /** Runs every operation that can run, in order, then flushes once (one sendmmsg where it can). */
  private void drainOnLoop() {
    drainScheduled.set(false);
    if (closeDone) {
      Op op;
      while ((op = ops.poll()) != null) {
        op.abandon(this, NodeErrors.notRunning());
      }
      return;
    }
    if (bindState != BindState.BOUND) {
      return; // bound() drains
    }
    boolean wrote = false;
    Op op;
    while ((op = ops.peek()) != null) {
      if (!op.ready()) {
        if (!op.resolving) {
          startLookupOnLoop(op);
          if (!op.ready()) {
            break;
          }
        } else {
          break;
        }
      }
      ops.poll();
      if (op instanceof SendOp) {
        wrote |= writeOnLoop((SendOp) op);
      } else {
        connectOnLoop((ConnectOp) op);
      }
    }
    if (wrote) {
      DatagramChannel ch = channel;
      if (ch != null) {
        ch.flush();
      }
    }
  }

  private void startLookupOnLoop(Op op) {
    op.resolving = true;
    boolean[] inline = {true};
    resolveOnLoop(
        op.host,
        (ip, err) -> {
          op.resolved = ip;
          op.lookupError = err;
          op.resolving = false;
          if (!inline[0]) {
            drainOnLoop();
          }
        });
    inline[0] = false;
  }

  private boolean writeOnLoop(SendOp op) {
    if (op.lookupError != null) {
      sendFailed(op, op.lookupError, false);
      return false;
    }
    DatagramChannel ch = channel;
    InetSocketAddress dest = null;
    if (op.host != null) {
      InetAddress ip = op.resolved;
      if (!Addresses.fitsFamily(ip, udp6)) {
        sendFailed(
            op, NodeErrors.withHostPort(Errno.EINVAL, "send", op.host, op.port, null), false);
        return false;
      }
      if (sendBlockList != null && sendBlockList.check(ip)) {
        sendFailed(op, NodeErrors.ipBlocked(Addresses.format(ip, false)), false);
        return false;
      }
      dest = op.destination != null ? op.destination : new InetSocketAddress(ip, op.port);
    }
    int max = udp6 ? MAX_UDP6_PAYLOAD : MAX_UDP4_PAYLOAD;
    if (op.length > max) {
      sendFailed(op, sendError(Errno.EMSGSIZE, op, null), false);
      return false;
    }
    ByteBuf payload = op.payload(ch.alloc());
    Object msg = dest == null ? payload : new DatagramPacket(payload, dest);
    op.watch(this, ch.write(msg));
    return true;
  }

  private DgramException sendError(Errno e, SendOp op, Throwable cause) {
    if (op.host == null) {
      return NodeErrors.errno(e, "send", cause);
    }
    return NodeErrors.withHostPort(e, "send", op.host, op.port, cause);
  }

  /** A write finished; runs on the loop (Netty completes write futures there). */
  void sendCompleted(SendOp op, Throwable cause) {
    if (cause == null) {
      queuedCount.decrementAndGet();
      queuedBytes.addAndGet(-op.length);
      if (op.callback != null) {
        invokeSend(op.callback, null, op.length);
      }
    } else {
      sendFailed(op, sendError(ErrorMapping.toErrno(cause), op, cause), false);
    }
  }

  /**
   * A send failed: to its callback if it has one, else as 'error', as the seed documents (Node's
   * code swallows some of these; the documentation wins).
   */
  void sendFailed(SendOp op, DgramException err, boolean quietWithoutCallback) {
    queuedCount.decrementAndGet();
    queuedBytes.addAndGet(-op.length);
    if (op.callback != null) {
      invokeSend(op.callback, err, 0);
    } else if (!quietWithoutCallback) {
      emitError(err);
    }
  }

  private void invokeSend(SendCallback cb, DgramException err, int bytes) {
    try {
      cb.done(err, bytes);
    } catch (Throwable t) {
      uncaught(t);
    }
  }

  public int sendQueueCount() {
    checkRunning();
    return queuedCount.get();
  }

  public long sendQueueSize() {
    checkRunning();
    return queuedBytes.get();
  }

  // ---------------------------------------------------------------- connect

  public void connect(int port, String address, Callback callback) {
    String host = address == null || address.isEmpty() ? defaultDestination() : address;
    synchronized (this) {
      if (connectState != ConnectState.DISCONNECTED) {
        throw NodeErrors.isConnected();
      }
      if (closed) {
        throw NodeErrors.notRunning();
      }
      connectState = ConnectState.CONNECTING;
      if (bindState == BindState.UNBOUND) {
        implicitBindLocked();
      }
      ops.offer(new ConnectOp(host, port, callback));
    }
    scheduleDrain();
  }

  private void connectOnLoop(ConnectOp op) {
    Runnable onConnect = null;
    if (op.callback != null) {
      Callback cb = op.callback;
      onConnect = new ConnectCallback(cb);
      emitter.add(CONNECT, onConnect, true, false);
    }
    DgramException err = op.lookupError;
    if (err == null && !Addresses.fitsFamily(op.resolved, udp6)) {
      err = NodeErrors.withHostPort(Errno.EINVAL, "connect", op.host, op.port, null);
    }
    if (err == null) {
      ChannelFuture f = channel.connect(new InetSocketAddress(op.resolved, op.port));
      if (!f.isSuccess()) {
        Throwable c = f.cause();
        err = NodeErrors.withHostPort(ErrorMapping.toErrno(c), "connect", op.host, op.port, c);
      }
    }
    if (err != null) {
      if (onConnect != null) {
        emitter.remove(CONNECT, onConnect);
      }
      connectFailed(op, err, false);
      return;
    }
    synchronized (this) {
      connectState = ConnectState.CONNECTED;
    }
    emit(CONNECT);
  }

  void connectFailed(ConnectOp op, DgramException err, boolean quietWithoutCallback) {
    synchronized (this) {
      if (connectState == ConnectState.CONNECTING) {
        connectState = ConnectState.DISCONNECTED;
      }
    }
    if (op.callback != null) {
      try {
        op.callback.done(err);
      } catch (Throwable t) {
        uncaught(t);
      }
    } else if (!quietWithoutCallback) {
      emitError(err);
    }
  }

  public void disconnect() {
    DatagramChannel ch;
    synchronized (this) {
      if (connectState != ConnectState.CONNECTED) {
        throw NodeErrors.notConnected();
      }
      ch = channel;
    }
    Throwable failure = onLoopAndWait(() -> ch.disconnect().cause());
    if (failure != null) {
      throw NodeErrors.errno(ErrorMapping.toErrno(failure), "connect", failure);
    }
    synchronized (this) {
      connectState = ConnectState.DISCONNECTED;
    }
  }

  public AddressInfo remoteAddress() {
    checkRunning();
    if (connectState != ConnectState.CONNECTED) {
      throw NodeErrors.notConnected();
    }
    SocketAddress remote = channel.remoteAddress();
    if (!(remote instanceof InetSocketAddress)) {
      throw NodeErrors.errno(Errno.ENOTCONN, "getpeername", null);
    }
    return addressInfo((InetSocketAddress) remote);
  }

  public AddressInfo address() {
    checkRunning();
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
    synchronized (this) {
      if (closed) {
        if (callback != null) {
          loop.execute(() -> runSafely(callback));
        }
        return;
      }
      closed = true;
      if (callback != null) {
        emitter.add(CLOSE, callback, false, false);
      }
    }
    loop.execute(this::closeOnLoop);
  }

  private void closeOnLoop() {
    if (closeDone) {
      return;
    }
    if (bindState == BindState.BINDING && !ops.isEmpty()) {
      // Node queues a close behind the sends waiting for the bind, so they still go out.
      closeAfterBind = true;
      return;
    }
    closeAfterBind = false;
    // Sends called before close() whose destinations are known go out; the rest fail.
    if (bindState == BindState.BOUND) {
      boolean wrote = false;
      Op op;
      while ((op = ops.peek()) != null && op.ready()) {
        ops.poll();
        if (op instanceof SendOp) {
          wrote |= writeOnLoop((SendOp) op);
        } else {
          op.abandon(this, NodeErrors.notRunning());
        }
      }
      if (wrote && channel != null) {
        channel.flush();
      }
    }
    closeDone = true;
    Op op;
    while ((op = ops.poll()) != null) {
      op.abandon(this, NodeErrors.notRunning());
    }
    DatagramChannel ch = channel;
    if (ch != null) {
      ch.close();
    }
    Runnable hook;
    synchronized (this) {
      updateKeepAlive();
      hook = onClosed;
    }
    if (hook != null) {
      runSafely(hook);
    }
    // Like Node's process.nextTick(socketCloseNT): 'close' comes after what is already queued.
    loop.execute(() -> emit(CLOSE));
  }

  // ---------------------------------------------------------------- ref / unref

  public void ref() {
    synchronized (this) {
      refed = true;
      updateKeepAlive();
    }
  }

  public void unref() {
    synchronized (this) {
      refed = false;
      updateKeepAlive();
    }
  }

  /** Holds the JVM while ref'ed, open and bound or binding. Caller holds the lock. */
  private void updateKeepAlive() {
    boolean want = refed && !closed && bindState != BindState.UNBOUND;
    if (want && !holdingKeepAlive) {
      KeepAlive.acquire();
      holdingKeepAlive = true;
    } else if (!want && holdingKeepAlive) {
      KeepAlive.release();
      holdingKeepAlive = false;
    }
  }

  // ---------------------------------------------------------------- options

  private void checkRunning() {
    if (closed) {
      throw NodeErrors.notRunning();
    }
  }

  /** The channel of a bound socket; an unbound one has no descriptor, so EBADF, as in Node. */
  private DatagramChannel boundChannel(String syscall) {
    DatagramChannel ch = channel;
    if (bindState != BindState.BOUND || ch == null) {
      throw NodeErrors.errno(Errno.EBADF, syscall, null);
    }
    return ch;
  }

  private interface SocketCall {
    void run(DatagramChannel ch) throws Exception;
  }

  private void option(String syscall, SocketCall call) {
    checkRunning();
    DatagramChannel ch = boundChannel(syscall);
    try {
      call.run(ch);
    } catch (DgramException e) {
      throw e;
    } catch (Exception e) {
      throw NodeErrors.errno(ErrorMapping.toErrno(e), syscall, e);
    }
  }

  public void setBroadcast(boolean flag) {
    option("setBroadcast", ch -> ch.config().setOption(ChannelOption.SO_BROADCAST, flag));
  }

  public int setTtl(int ttl) {
    checkRunning();
    if (ttl < 1 || ttl > 255) {
      throw NodeErrors.errno(Errno.EINVAL, "setTTL", null);
    }
    option("setTTL", ch -> transport.setTtl(ch, udp6, ttl));
    return ttl;
  }

  public int setMulticastTtl(int ttl) {
    checkRunning();
    if (ttl < 0 || ttl > 255) {
      throw NodeErrors.errno(Errno.EINVAL, "setMulticastTTL", null);
    }
    option("setMulticastTTL", ch -> transport.setMulticastTtl(ch, udp6, ttl));
    return ttl;
  }

  public boolean setMulticastLoopback(boolean flag) {
    option("setMulticastLoopback", ch -> transport.setMulticastLoop(ch, udp6, flag));
    return flag;
  }

  public void setMulticastInterface(String iface) {
    String syscall = "setMulticastInterface";
    option(
        syscall,
        ch -> {
          InetAddress ip = Addresses.parseLiteral(iface);
          if (ip == null) {
            throw NodeErrors.errno(Errno.EINVAL, syscall, null);
          }
          if (udp6) {
            // libuv: the scope picks the interface; without one, the system's choice.
            transport.setMulticastInterface(ch, true, null, Addresses.scopeId(ip));
          } else if (!(ip instanceof Inet4Address)) {
            throw NodeErrors.errno(Errno.ENOPROTOOPT, syscall, null);
          } else {
            transport.setMulticastInterface(ch, false, ip, 0);
          }
        });
  }

  /**
   * Joins or leaves a group. On an unbound socket, binds it first (all interfaces, random port), as
   * libuv does; the bind is reported with 'listening' like any other.
   */
  public void membership(String syscall, boolean join, String source, String group, String iface) {
    checkRunning();
    if (join) {
      bindNowIfUnbound(syscall);
    }
    option(
        syscall,
        ch -> {
          InetAddress g = Addresses.parseLiteral(group);
          InetAddress s = source == null ? null : Addresses.parseLiteral(source);
          if (g == null || (source != null && s == null) || !Addresses.fitsFamily(g, udp6)) {
            throw NodeErrors.errno(Errno.EINVAL, syscall, null);
          }
          if (s != null && !Addresses.fitsFamily(s, udp6)) {
            throw NodeErrors.errno(Errno.EINVAL, syscall, null);
          }
          InetAddress v4If = null;
          int v6Index = 0;
          if (iface != null) {
            InetAddress i = Addresses.parseLiteral(iface);
            if (i == null) {
              throw NodeErrors.errno(Errno.EINVAL, syscall, null);
            }
            if (udp6) {
              v6Index = Addresses.scopeId(i);
            } else if (i instanceof Inet4Address) {
              v4If = i;
            } else {
              throw NodeErrors.errno(Errno.EINVAL, syscall, null);
            }
          }
          transport.membership(ch, udp6, join, g, s, v4If, v6Index);
        });
  }

  /** The implicit bind of addMembership, done before the call returns. */
  private void bindNowIfUnbound(String syscall) {
    CompletableFuture<Void> pending = null;
    synchronized (this) {
      if (bindState == BindState.BINDING) {
        pending = bindSettled;
      } else if (bindState == BindState.BOUND) {
        return;
      } else {
        startBinding();
      }
    }
    if (pending != null) {
      // A bind is under way (bind(port) then addMembership right away): wait for it, unless
      // this is the loop thread, which must not block; then the call fails with EBADF as in Node.
      if (!loop.inEventLoop()) {
        try {
          pending.get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          // reported below as EBADF: the socket has no bound descriptor
        }
      }
      if (bindState != BindState.BOUND) {
        throw NodeErrors.errno(Errno.EBADF, syscall, null);
      }
      return;
    }
    InetAddress any = Addresses.parseLiteral(anyAddress());
    onLoopAndWait(
        () -> {
          if (closed) {
            return null;
          }
          DatagramChannel ch;
          try {
            ch = transport.newChannel(udp6);
          } catch (RuntimeException e) {
            bindFailedOnLoop(
                NodeErrors.withHostPort(ErrorMapping.toErrno(e), "bind", anyAddress(), 0, e));
            return null;
          }
          registerAndBindOnLoop(ch, any, anyAddress(), 0, true);
          return null;
        });
    if (bindState != BindState.BOUND) {
      throw NodeErrors.errno(Errno.EBADF, syscall, null);
    }
  }

  public int bufferSize(boolean recv, int size) {
    checkRunning();
    if (size < 0) {
      throw NodeErrors.badBufferSize();
    }
    DatagramChannel ch = channel;
    if (bindState != BindState.BOUND || ch == null) {
      throw NodeErrors.bufferSize(Errno.EBADF, recv, null);
    }
    try {
      if (size > 0) {
        if (recv) {
          ch.config().setReceiveBufferSize(size);
        } else {
          ch.config().setSendBufferSize(size);
        }
        return size;
      }
      return recv ? ch.config().getReceiveBufferSize() : ch.config().getSendBufferSize();
    } catch (RuntimeException e) {
      throw NodeErrors.bufferSize(ErrorMapping.toErrno(e), recv, e);
    }
  }

  /** Runs a task on the loop (inline when already there) and waits for its result. */
  private <T> T onLoopAndWait(java.util.concurrent.Callable<T> task) {
    if (loop.inEventLoop()) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    Future<T> f = loop.submit(task);
    try {
      return f.get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw NodeErrors.errno(Errno.EINTR, "uv_run", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      throw new IllegalStateException(c);
    } catch (TimeoutException e) {
      throw NodeErrors.errno(Errno.ETIMEDOUT, "uv_run", e);
    }
  }

  // ---------------------------------------------------------------- receive

  /** A datagram arrived; loop thread. Copies it out of Netty's buffer and emits 'message'. */
  void onDatagram(DatagramPacket packet) {
    try {
      if (closed) {
        return; // Node stops receiving in close(): nothing is emitted after it
      }
      InetSocketAddress sender = packet.sender();
      InetAddress raw = sender.getAddress();
      if (!raw.equals(lastSender) || Addresses.scopeId(raw) != Addresses.scopeId(lastSender)) {
        // One sender at a time is cached: its IPv4-mapped form on udp6, its text and family.
        // (InetAddress.equals ignores an IPv6 zone, and fe80::1%eth0 is not fe80::1%eth1.)
        InetAddress seen = udp6 && raw instanceof Inet4Address ? mapped((Inet4Address) raw) : raw;
        lastSender = raw;
        lastSenderSeen = seen;
        lastSenderText = Addresses.format(seen, false);
        lastSenderFamily = family(seen);
      }
      if (receiveBlockList != null && receiveBlockList.check(lastSenderSeen)) {
        return; // Node drops datagrams from blocked senders silently
      }
      ByteBuf content = packet.content();
      int n = content.readableBytes();
      byte[] bytes = new byte[n];
      content.getBytes(content.readerIndex(), bytes);
      RemoteInfo rinfo = new RemoteInfo(lastSenderText, lastSenderFamily, sender.getPort(), n);
      emitMessage(bytes, rinfo);
    } finally {
      packet.release();
    }
  }

  private static InetAddress mapped(Inet4Address v4) {
    byte[] b = new byte[16];
    b[10] = (byte) 0xff;
    b[11] = (byte) 0xff;
    System.arraycopy(v4.getAddress(), 0, b, 12, 4);
    try {
      return Inet6Address.getByAddress(null, b, -1);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private String family(InetAddress from) {
    return from instanceof Inet6Address ? Addresses.IPV6 : Addresses.IPV4;
  }

  /** A receive failed; loop thread. */
  void onReadError(Throwable cause) {
    if (!closed) {
      emitError(NodeErrors.errno(ErrorMapping.toErrno(cause), "recvmsg", cause));
    }
  }

  // ---------------------------------------------------------------- emit

  private void emit(int event) {
    for (Emitter.Entry e : emitter.snapshot(event)) {
      if (emitter.claim(event, e)) {
        runSafely((Runnable) e.listener());
      }
    }
  }

  private void emitMessage(byte[] msg, RemoteInfo rinfo) {
    for (Emitter.Entry e : emitter.snapshot(MESSAGE)) {
      if (emitter.claim(MESSAGE, e)) {
        try {
          ((MessageListener) e.listener()).onMessage(msg, rinfo);
        } catch (Throwable t) {
          uncaught(t);
        }
      }
    }
  }

  /** Emits 'error'; with no listener of the user's, the error goes to the uncaught handler. */
  void emitError(DgramException err) {
    Emitter.Entry[] listeners = emitter.snapshot(ERROR);
    boolean handled = false;
    for (Emitter.Entry e : listeners) {
      if (!(e.listener() instanceof BindCallback)) {
        handled = true;
      }
    }
    for (Emitter.Entry e : listeners) {
      if (emitter.claim(ERROR, e)) {
        try {
          ((ErrorListener) e.listener()).onError(err);
        } catch (Throwable t) {
          uncaught(t);
        }
      }
    }
    if (!handled) {
      uncaught(err);
    }
  }

  private static void runSafely(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      uncaught(t);
    }
  }

  /** A listener threw, or an error had no listener: the loop thread's uncaught handler gets it. */
  static void uncaught(Throwable t) {
    Thread self = Thread.currentThread();
    Thread.UncaughtExceptionHandler h = self.getUncaughtExceptionHandler();
    try {
      h.uncaughtException(self, t);
    } catch (Throwable ignored) {
      // The handler itself failed; nothing sensible is left to do on the loop thread.
    }
  }

  /**
   * Node's bind callback: runs on 'listening' and removes itself from both events; on 'error' it
   * only removes itself.
   */
  private final class BindCallback implements Runnable, ErrorListener {
    private final Runnable callback;

    BindCallback(Runnable callback) {
      this.callback = callback;
    }

    private void detach() {
      emitter.remove(LISTENING, this);
      emitter.remove(ERROR, this);
    }

    @Override
    public void run() {
      detach();
      callback.run();
    }

    @Override
    public void onError(DgramException err) {
      detach();
    }
  }

  /** Node's once('connect', callback): the callback with no error. */
  private static final class ConnectCallback implements Runnable {
    private final Callback callback;

    ConnectCallback(Callback callback) {
      this.callback = callback;
    }

    @Override
    public void run() {
      callback.done(null);
    }
  }
}
