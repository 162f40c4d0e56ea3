package dev.jdgram.internal;

import dev.jdgram.AddressInfo;
import dev.jdgram.BlockList;
import dev.jdgram.Callback;
import dev.jdgram.DgramException;
import dev.jdgram.Lookup;
import dev.jdgram.SendCallback;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The state machine of one socket: Node's bind, connect and close states, the queue of sends and
 * connects in call order, and every socket option, on one Netty channel and one event loop.
 *
 * <p>Public methods run on the caller's thread: they check state under this object's lock and throw
 * Node's synchronous errors; the work itself runs on the loop. Methods named {@code ...OnLoop} and
 * everything that emits run on the loop thread only, with no lock held while a listener runs.
 */
public final class SocketCore {
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

  /** Whether the loop is one of the transport's own loops (ownEventLoop), not the shared one. */
  private final boolean ownLoop;

  private final boolean reuseAddr;
  private final boolean reusePort;
  private final boolean ipv6Only;
  private final int recvBufferSize;
  private final int sendBufferSize;
  private final SocketEvents events = new SocketEvents();
  private final Resolver resolver;
  private final SendQueue queue;
  private final SocketSettings settings;
  private final Receiver receiver;
  private final boolean defaultLookup;

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
      boolean ownEventLoop) {
    this.udp6 = udp6;
    this.transport = Transport.get();
    this.ownLoop = ownEventLoop;
    this.loop = ownEventLoop ? transport.ownLoops().take() : transport.group().next();
    this.defaultLookup = lookup == null;
    this.reuseAddr = reuseAddr;
    this.reusePort = reusePort;
    this.ipv6Only = ipv6Only;
    this.recvBufferSize = recvBufferSize;
    this.sendBufferSize = sendBufferSize;
    this.resolver =
        new Resolver(lookup == null ? DefaultLookup.INSTANCE : lookup, udp6 ? 6 : 4, loop);
    this.queue = new SendQueue(this, events, resolver, loop, udp6, sendBlockList);
    this.settings = new SocketSettings(this, transport, udp6);
    this.receiver = new Receiver(this, events, udp6, receiveBlockList);
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
    return channel;
  }

  boolean isBound() {
    return bindState == BindState.BOUND;
  }

  /** Whether close has run on the loop; loop thread. */
  boolean isCloseDone() {
    return closeDone;
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

  /** Node's {@code address || '127.0.0.1'} (or {@code '::1'}): null and "" mean loopback. */
  private String destination(String address) {
    return address == null || address.isEmpty() ? (udp6 ? "::1" : "127.0.0.1") : address;
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
      events.addBindCallback(callback);
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
        events.addBindCallback(callback);
      }
      loop.execute(
          () -> {
            DgramException err = registerAndBindOnLoop(ch, null, null, 0, false);
            if (err != null) {
              bindFailedOnLoop(err, true);
            }
          });
    }
  }

  /**
   * Node's bindSync: binds to an IP literal now and returns the bound address; the bind runs on the
   * loop while the caller waits (inline when the caller is the loop), its failure is thrown, and
   * 'listening' follows on the loop.
   *
   * @param address an IP literal, or null or empty for all interfaces
   */
  public AddressInfo bindSync(int port, String address) {
    String host = address == null || address.isEmpty() ? anyAddress() : address;
    InetAddress ip = ipLiteral(host);
    synchronized (this) {
      checkBindable();
      startBinding();
    }
    DgramException err =
        onLoopAndWait(
            () -> {
              DgramException e =
                  closed ? NodeErrors.notRunning() : openAndBindOnLoop(ip, host, port, true);
              if (e != null) {
                bindFailedOnLoop(e, false);
              }
              return e;
            });
    if (err != null) {
      throw err;
    }
    return address();
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
    InetAddress ip = ipLiteral(host);
    boolean bindFirst;
    synchronized (this) {
      if (connectState != ConnectState.DISCONNECTED) {
        throw NodeErrors.isConnected();
      }
      if (closed) {
        throw NodeErrors.notRunning();
      }
      if (bindState == BindState.BINDING) {
        throw NodeErrors.alreadyBound(); // Node: an asynchronous bind is still in progress
      }
      bindFirst = bindState == BindState.UNBOUND;
      if (bindFirst) {
        startBinding();
      }
      connectState = ConnectState.CONNECTING;
    }
    DgramException err = onLoopAndWait(() -> connectNowOnLoop(ip, host, port, bindFirst));
    if (err != null) {
      throw err;
    }
  }

  private DgramException connectNowOnLoop(
      InetAddress ip, String host, int port, boolean bindFirst) {
    assert loop.inEventLoop();
    if (bindFirst) {
      DgramException err =
          closed
              ? NodeErrors.notRunning()
              : openAndBindOnLoop(Addresses.parseLiteral(anyAddress()), anyAddress(), 0, true);
      if (err != null) {
        bindFailedOnLoop(err, false); // back to unbound and disconnected
        return err;
      }
    }
    DgramException err = closed ? NodeErrors.notRunning() : connectChannelOnLoop(ip, host, port);
    synchronized (this) {
      connectState = err == null ? ConnectState.CONNECTED : ConnectState.DISCONNECTED;
    }
    if (err == null) {
      loop.execute(
          () -> {
            if (!closed) {
              events.emit(SocketEvents.CONNECT); // after 'listening', as Node's next tick
            }
          });
    }
    return err;
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
    resolver.resolve(
        host,
        (ip, err) -> {
          if (closeDone || (closed && queue.isEmpty())) {
            return; // closed while the lookup ran, nothing queued: Node drops the bind silently
          }
          // Closed with sends queued: bind anyway, so they go out before the queued close.

          if (err == null) {
            err = openAndBindOnLoop(ip, host, port, false);
          }
          if (err != null) {
            bindFailedOnLoop(err, true);
          }
        });
  }

  /**
   * Opens a channel of the socket's family and binds it to {@code ip}: the one bind path of bind(),
   * bindSync() and the implicit binds. Returns the failure, already in Node's terms, or null.
   */
  private DgramException openAndBindOnLoop(
      InetAddress ip, String host, int port, boolean emitLater) {
    assert loop.inEventLoop();
    String ipText = Addresses.format(ip, false);
    if (!Addresses.fitsFamily(ip, udp6)) {
      return NodeErrors.withHostPort(Errno.EINVAL, "bind", ipText, port, null);
    }
    DatagramChannel ch;
    try {
      ch = transport.newChannel(udp6);
    } catch (RuntimeException e) {
      return NodeErrors.withHostPort(ErrorMapping.toErrno(e), "bind", ipText, port, e);
    }
    return registerAndBindOnLoop(ch, ip, host, port, emitLater);
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
  private DgramException registerAndBindOnLoop(
      DatagramChannel ch, InetAddress ip, String host, int port, boolean emitLater) {
    assert loop.inEventLoop();
    String ipText = ip == null ? null : Addresses.format(ip, false);
    try {
      ch.config().setAutoRead(false);
      ch.config().setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true);
      transport.configureReads(ch);
      if (ip != null) {
        transport.setBindFlags(ch, udp6, reuseAddr, reusePort, ipv6Only);
      }
      ch.pipeline().addLast(receiver);
    } catch (Exception e) {
      ch.unsafe().closeForcibly();
      return NodeErrors.withHostPort(ErrorMapping.toErrno(e), "bind", ipText, port, e);
    }
    ChannelFuture registered = loop.register(ch);
    if (!registered.isSuccess()) {
      ch.unsafe().closeForcibly();
      Throwable c = registered.cause();
      return NodeErrors.withHostPort(ErrorMapping.toErrno(c), "bind", ipText, port, c);
    }
    if (ip != null) {
      ChannelFuture bound = ch.bind(new InetSocketAddress(ip, port));
      if (!bound.isSuccess()) {
        Throwable c = bound.cause();
        ch.close();
        return NodeErrors.withHostPort(ErrorMapping.toErrno(c), "bind", ipText, port, c);
      }
    }
    boundOnLoop(ch, emitLater);
    return null;
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
        settings.bufferSize(true, recvBufferSize);
      }
      if (sendBufferSize > 0) {
        settings.bufferSize(false, sendBufferSize);
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
            events.error(reported);
          }
          // A synchronous bind followed at once by close(): Node's deferred 'listening' finds the
          // handle gone and stays quiet. (An asynchronous one emits it: its close waits in the
          // queue behind the sends that waited for the bind.)
          if (!(emitLater && closed)) {
            events.emit(SocketEvents.LISTENING);
          }
          queue.drain();
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

  /**
   * Back to unbound after a failed bind: the failure goes to 'error' when {@code emit} (a
   * synchronous bind throws it instead), and to the callback of every send queued behind the bind.
   */
  private void bindFailedOnLoop(DgramException err, boolean emit) {
    assert loop.inEventLoop();
    List<Op> pending;
    synchronized (this) {
      pending = queue.takeAll();
      bindState = BindState.UNBOUND;
      channel = null;
      if (connectState == ConnectState.CONNECTING) {
        connectState = ConnectState.DISCONNECTED;
      }
      updateKeepAlive();
    }
    bindSettled.complete(null);
    if (emit) {
      events.error(err);
    }
    // Node drops the sends queued behind a failed bind; jdgram tells each callback why.
    for (Op op : pending) {
      op.abandon(this, err);
    }
    if (closeAfterBind) {
      closeOnLoop();
    }
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
    String dest = connectedSend ? null : destination(host);
    SendOp op = new SendOp(array, offset, length, buffer, dest, port, callback);
    InetSocketAddress literal = literal(dest, port);
    if (literal != null) {
      op.destination = literal;
      op.resolved = literal.getAddress();
    }
    enqueue(op, null);
  }

  /**
   * jdgram's sendMany after argument checks: each of {@code datagrams} (a byte[] or ByteBuffer) is
   * one datagram, with UDP GSO for runs of equal size where the transport has it; the callback runs
   * once. {@code host} is null for a connected send.
   */
  public void sendMany(
      Object[] datagrams, boolean connectedSend, int port, String host, SendCallback callback) {
    String dest = connectedSend ? null : destination(host);
    if (datagrams.length == 0) {
      checkRunning();
      if (callback != null) {
        loop.execute(() -> SendQueue.invoke(callback, null, 0));
      }
      return;
    }
    List<SendOp> ops =
        Batch.plan(
            datagrams, transport.supportsGso(), queue.maxPayload(), dest, port, events, callback);
    InetSocketAddress literal = literal(dest, port);
    SendOp first = ops.get(0);
    for (SendOp op : ops) {
      if (literal != null) {
        op.destination = literal;
        op.resolved = literal.getAddress();
      } else if (op != first) {
        op.follows = first; // one lookup for the whole batch
      }
    }
    enqueue(null, ops);
  }

  /** The destination of a literal host with the default lookup, from the queue's cache; or null. */
  private InetSocketAddress literal(String dest, int port) {
    return dest != null && defaultLookup ? queue.literalDestination(dest, port) : null;
  }

  /** Queues one write, or the writes of a batch, binding first if unbound. */
  private void enqueue(SendOp one, List<SendOp> many) {
    if (bindState == BindState.BOUND && !closed) {
      offer(one, many); // a close racing with this is caught by drain, which fails the writes
    } else {
      synchronized (this) {
        if (closed) {
          throw NodeErrors.notRunning();
        }
        if (bindState == BindState.UNBOUND) {
          implicitBindLocked();
        }
        offer(one, many);
      }
    }
    queue.schedule();
  }

  private void offer(SendOp one, List<SendOp> many) {
    if (one != null) {
      queue.counted(one);
      queue.offer(one);
      return;
    }
    for (SendOp op : many) {
      queue.counted(op);
      queue.offer(op);
    }
  }

  /** Whether the socket is connected now (Node decides a send's form by this). */
  public boolean isConnected() {
    return connectState == ConnectState.CONNECTED;
  }

  public int sendQueueCount() {
    checkRunning();
    return queue.count();
  }

  public long sendQueueSize() {
    checkRunning();
    return queue.bytes();
  }

  // ---------------------------------------------------------------- connect

  public void connect(int port, String address, Callback callback) {
    String host = destination(address);
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
      queue.offer(new ConnectOp(host, port, callback));
    }
    queue.schedule();
  }

  /** Runs a queued connect once its address is known; loop thread. */
  void connectOnLoop(ConnectOp op) {
    Runnable onConnect = null;
    if (op.callback != null) {
      onConnect = events.addConnectCallback(op.callback);
    }
    DgramException err = op.lookupError;
    if (err == null) {
      err = connectChannelOnLoop(op.resolved, op.host, op.port);
    }
    if (err != null) {
      if (onConnect != null) {
        events.emitter().remove(SocketEvents.CONNECT, onConnect);
      }
      connectFailed(op, err, false);
      return;
    }
    synchronized (this) {
      connectState = ConnectState.CONNECTED;
    }
    events.emit(SocketEvents.CONNECT);
  }

  /**
   * Node's doConnect once the address is known: the family, the send block list (Node 22.13+), then
   * connect(2). Returns the failure in Node's terms, or null once connected.
   */
  private DgramException connectChannelOnLoop(InetAddress ip, String host, int port) {
    assert loop.inEventLoop();
    if (!Addresses.fitsFamily(ip, udp6)) {
      return NodeErrors.withHostPort(Errno.EINVAL, "connect", host, port, null);
    }
    DgramException blocked = queue.blocked(ip);
    if (blocked != null) {
      return blocked;
    }
    ChannelFuture f = channel.connect(new InetSocketAddress(ip, port));
    if (!f.isSuccess()) {
      Throwable c = f.cause();
      return NodeErrors.withHostPort(ErrorMapping.toErrno(c), "connect", host, port, c);
    }
    return null;
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
        SocketEvents.uncaught(t);
      }
    } else if (!quietWithoutCallback) {
      events.error(err);
    }
  }

  public void disconnect() {
    DatagramChannel ch;
    synchronized (this) {
      if (connectState != ConnectState.CONNECTED) {
        throw NodeErrors.notConnected();
      }
      if (closed) {
        throw NodeErrors.notRunning(); // Node's handle is gone: its call would not even run
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
          loop.execute(() -> SocketEvents.runSafely(callback));
        }
        return;
      }
      closed = true;
      if (callback != null) {
        events.emitter().add(SocketEvents.CLOSE, callback, false, false);
      }
    }
    loop.execute(this::closeOnLoop);
  }

  private void closeOnLoop() {
    if (closeDone) {
      return;
    }
    if (bindState == BindState.BINDING && !queue.isEmpty()) {
      // Node queues a close behind the sends waiting for the bind, so they still go out.
      closeAfterBind = true;
      return;
    }
    closeAfterBind = false;
    // Sends called before close() whose destinations are known go out; the rest fail.
    queue.drainForClose();
    closeDone = true;
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
      SocketEvents.runSafely(hook);
    }
    // Like Node's process.nextTick(socketCloseNT): 'close' comes after what is already queued,
    // and once the port is free again.
    Runnable emitClose =
        () -> {
          if (ownLoop) {
            transport.ownLoops().give(loop);
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

  void checkRunning() {
    if (closed) {
      throw NodeErrors.notRunning();
    }
  }

  /** The channel of a bound socket; an unbound one has no descriptor, so EBADF, as in Node. */
  DatagramChannel boundChannel(String syscall) {
    DatagramChannel ch = channel;
    if (bindState != BindState.BOUND || ch == null) {
      throw NodeErrors.errno(Errno.EBADF, syscall, null);
    }
    return ch;
  }

  /** The implicit bind of addMembership, done before the call returns. */
  void bindNowIfUnbound(String syscall) {
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
          DgramException err = openAndBindOnLoop(any, anyAddress(), 0, true);
          if (err != null) {
            bindFailedOnLoop(err, true);
          }
          return null;
        });
    if (bindState != BindState.BOUND) {
      throw NodeErrors.errno(Errno.EBADF, syscall, null);
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
}
