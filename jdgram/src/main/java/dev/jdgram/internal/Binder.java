package dev.jdgram.internal;

import dev.jdgram.DgramException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * How a socket gets its channel: Node's bind (lookup, then bind on the loop), bind({fd}) (adopt a
 * descriptor), bindSync and the implicit binds of send, connect and addMembership. There is one
 * path from an address to a bound, reading channel ({@link #openAndBindOnLoop}), one for a channel
 * that becomes the socket's ({@link #registerAndBindOnLoop}), and one way a bind fails ({@link
 * #bindFailedOnLoop}): its error to 'error' (or thrown, for bindSync) and to every send that waited
 * for it.
 */
final class Binder {
  /** Options applied at bind time, from {@code SocketOptions}. */
  record Flags(
      boolean reuseAddr,
      boolean reusePort,
      boolean ipv6Only,
      int recvBufferSize,
      int sendBufferSize) {}

  private final SocketCore core;
  private final SocketState state;
  private final Transport transport;
  private final EventLoop loop;
  private final boolean udp6;
  private final Flags flags;
  private final Resolver resolver;
  private final SendQueue queue;
  private final SocketEvents events;
  private final Receiver receiver;

  /** Work that waits for the pending bind; guarded by {@code state}. */
  private final List<Runnable> afterBind = new ArrayList<>();

  Binder(
      SocketCore core,
      SocketState state,
      Transport transport,
      EventLoop loop,
      boolean udp6,
      Flags flags,
      Resolver resolver,
      SendQueue queue,
      SocketEvents events,
      Receiver receiver) {
    this.core = core;
    this.state = state;
    this.transport = transport;
    this.loop = loop;
    this.udp6 = udp6;
    this.flags = flags;
    this.resolver = resolver;
    this.queue = queue;
    this.events = events;
    this.receiver = receiver;
  }

  /** {@code 0.0.0.0} or {@code ::}. */
  String anyAddress() {
    return udp6 ? "::" : "0.0.0.0";
  }

  /** Node's bind: state checks now, address lookup and bind on the loop. */
  void bind(int port, String address, Runnable callback) {
    state.beginBind();
    if (callback != null) {
      events.addBindCallback(callback);
    }
    String host = address == null || address.isEmpty() ? anyAddress() : address;
    loop.execute(() -> lookUpAndBindOnLoop(host, port));
  }

  /** The implicit bind of send and connect, once {@link SocketState#beginImplicitBind} said so. */
  void bindImplicitly() {
    String any = anyAddress();
    loop.execute(() -> lookUpAndBindOnLoop(any, 0));
  }

  /** Node's bind({fd}): adopts the descriptor now (or throws); 'listening' follows on the loop. */
  void bindFd(int fd, Runnable callback) {
    DatagramChannel ch;
    synchronized (state) { // no other bind may start between the check and the adoption
      state.requireBindable();
      ch = transport.adopt(fd);
      state.beginBind();
    }
    if (callback != null) {
      events.addBindCallback(callback);
    }
    loop.execute(
        () -> {
          DgramException err = registerAndBindOnLoop(ch, null, 0, false);
          if (err != null) {
            bindFailedOnLoop(err, true);
          }
        });
  }

  /**
   * Binds now, on the loop, for bindSync (the caller has entered BINDING and waits): the failure is
   * returned for the caller to throw, not emitted.
   */
  DgramException bindSyncOnLoop(InetAddress ip, String host, int port) {
    assert loop.inEventLoop();
    DgramException err =
        state.isClosed() ? NodeErrors.notRunning() : openAndBindOnLoop(ip, host, port, true);
    if (err != null) {
      bindFailedOnLoop(err, false);
    }
    return err;
  }

  /**
   * Binds to all interfaces and a random port now, on the loop, for connectSync and addMembership;
   * the failure is returned, and emitted too if {@code emitFailure} (never once closed).
   */
  DgramException bindAnyOnLoop(boolean emitFailure) {
    assert loop.inEventLoop();
    if (state.isClosed()) {
      DgramException err = NodeErrors.notRunning();
      bindFailedOnLoop(err, false); // closed meanwhile: the close has its own event
      return err;
    }
    DgramException err =
        openAndBindOnLoop(Addresses.parseLiteral(anyAddress()), anyAddress(), 0, true);
    if (err != null) {
      bindFailedOnLoop(err, emitFailure);
    }
    return err;
  }

  /**
   * The implicit bind of addMembership and dropMembership, as libuv binds an unbound socket first:
   * done before the call returns (the loop binds while the caller waits). While a bind is under way
   * the call never waits for it (a lookup may take long): {@code whenBound} runs on the loop right
   * after that bind succeeds, before 'listening', and is dropped if it fails or the socket closes.
   *
   * @return true if the socket is bound now; false if {@code whenBound} waits for the pending bind
   * @throws DgramException EBADF if the implicit bind failed (its error was emitted)
   */
  boolean bindForMembership(String syscall, Runnable whenBound) {
    synchronized (state) { // ordered against boundOnLoop, which runs what waits here
      if (state.bind() == SocketState.Bind.BINDING) {
        afterBind.add(whenBound);
        return false;
      }
    }
    if (state.beginImplicitBind()) {
      Loops.callAndWait(loop, () -> bindAnyOnLoop(true));
    }
    if (!state.isBound()) {
      throw NodeErrors.errno(Errno.EBADF, syscall, null);
    }
    return true;
  }

  /** Runs what waited for this bind (memberships); loop thread, once bound. */
  private void runAfterBindOnLoop() {
    List<Runnable> waiting;
    synchronized (state) {
      waiting = new ArrayList<>(afterBind);
      afterBind.clear();
    }
    for (Runnable r : waiting) {
      r.run();
    }
  }

  private void lookUpAndBindOnLoop(String host, int port) {
    assert loop.inEventLoop();
    resolver.resolve(
        host,
        (ip, err) -> {
          if (state.isCloseDone() || (state.isClosed() && queue.isEmpty())) {
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

  /** Opens a channel of the socket's family and binds it; the failure in Node's terms, or null. */
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
    return registerAndBindOnLoop(ch, ip, port, emitLater);
  }

  /**
   * Configures, registers and binds a channel (or, with a null address, registers an adopted one
   * that is bound already). Netty runs these inline on the loop, so this completes before it
   * returns: with null once bound, else with the failure in Node's terms.
   */
  // DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION is deprecated but still the only way to keep an epoll
  // channel active after disconnect(): without it, Netty marks the channel inactive and fails
  // every later write, where Node's socket goes on sending.
  @SuppressWarnings("deprecation")
  private DgramException registerAndBindOnLoop(
      DatagramChannel ch, InetAddress ip, int port, boolean emitLater) {
    assert loop.inEventLoop();
    String ipText = ip == null ? null : Addresses.format(ip, false);
    try {
      ch.config().setAutoRead(false);
      ch.config().setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true);
      transport.configureReads(ch);
      if (ip != null) {
        transport.setBindFlags(ch, udp6, flags.reuseAddr(), flags.reusePort(), flags.ipv6Only());
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

  /**
   * The socket is bound: buffer sizes from the options, reading starts (Node's recvStart), then
   * 'listening' and the sends that waited. With {@code emitLater} (the synchronous binds) that
   * happens in a later loop task, after the caller has its answer.
   */
  private void boundOnLoop(DatagramChannel ch, boolean emitLater) {
    state.boundOnLoop(ch);
    dev.jdgram.internal.jfr.JfrHooks.bound(core, ch, transport);
    runAfterBindOnLoop();
    DgramException bufferError = null;
    try {
      if (flags.recvBufferSize() > 0) {
        core.settings().bufferSize(true, flags.recvBufferSize());
      }
      if (flags.sendBufferSize() > 0) {
        core.settings().bufferSize(false, flags.sendBufferSize());
      }
    } catch (DgramException e) {
      bufferError = e;
    }
    if (!state.isClosed()) {
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
          if (!(emitLater && state.isClosed())) {
            events.emit(SocketEvents.LISTENING);
          }
          queue.drainOnLoop();
          if (state.closeAfterBind()) {
            core.closeOnLoop();
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
    List<Op> pending = new ArrayList<>();
    state.bindFailedOnLoop(
        () -> {
          pending.addAll(queue.takeAll());
          afterBind.clear(); // memberships waiting for this bind: the bind's error says why
        });
    if (emit) {
      events.error(err);
    }
    // Node drops the sends queued behind a failed bind; jdgram tells each callback why.
    for (Op op : pending) {
      op.abandonOnLoop(queue, err);
    }
    if (state.closeAfterBind()) {
      core.closeOnLoop();
    }
  }
}
