package dev.jdgram.internal;

import dev.jdgram.Callback;
import dev.jdgram.DgramException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Node's connect, connectSync and disconnect. A connect waits its turn in the {@link SendQueue}
 * behind the sends called before it, binds an unbound socket first, and once its address is known
 * checks it as Node's doConnect does (family, send block list) before connect(2).
 */
final class Connector {
  private final SocketState state;
  private final Binder binder;
  private final SendQueue queue;
  private final SocketEvents events;
  private final EventLoop loop;
  private final boolean udp6;
  private final Transport transport;

  Connector(
      SocketState state,
      Binder binder,
      SendQueue queue,
      SocketEvents events,
      EventLoop loop,
      boolean udp6,
      Transport transport) {
    this.transport = transport;
    this.state = state;
    this.binder = binder;
    this.queue = queue;
    this.events = events;
    this.loop = loop;
    this.udp6 = udp6;
  }

  /** Node's connect: state checks now, the connect queued behind earlier sends. */
  void connect(String host, int port, Callback callback) {
    synchronized (state) { // ordered against a failing bind, which takes what is queued
      if (state.beginConnect(false)) {
        binder.bindImplicitly();
      }
      queue.offer(new ConnectOp(host, port, callback));
    }
    queue.schedule();
  }

  /** Runs a queued connect once its address is known. */
  void connectOnLoop(ConnectOp op) {
    assert loop.inEventLoop();
    Runnable onConnect = null;
    if (op.callback != null) {
      onConnect = events.addConnectCallback(op.callback);
    }
    DgramException err = op.lookupError();
    if (err == null) {
      err = connectChannelOnLoop(op.resolved(), op.host, op.port);
    }
    if (err != null) {
      if (onConnect != null) {
        events.emitter().remove(SocketEvents.CONNECT, onConnect);
      }
      connectFailedOnLoop(op, err, false);
      return;
    }
    state.connectedOnLoop();
    dev.jdgram.internal.jfr.JfrHooks.connected(
        state.channel(), transport.remoteAddress(state.channel()));
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
    Throwable c = transport.connect(state.channel(), new InetSocketAddress(ip, port));
    if (c != null) {
      return NodeErrors.withHostPort(ErrorMapping.toErrno(c), "connect", host, port, c);
    }
    return null;
  }

  /**
   * A queued connect failed: its callback gets {@code err}; without one, 'error' is emitted unless
   * {@code quietWithoutCallback} (a close or a failed bind, which have their own events).
   */
  void connectFailedOnLoop(ConnectOp op, DgramException err, boolean quietWithoutCallback) {
    assert loop.inEventLoop();
    state.connectFailedOnLoop();
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

  /**
   * Node's disconnect: dissolves the association on the loop, where the state changes with it, so a
   * connect that follows always finds the channel disconnected.
   */
  void disconnect() {
    DatagramChannel ch = state.channelToDisconnect();
    Throwable failure =
        Loops.callAndWait(
            loop,
            () -> {
              Throwable cause = transport.disconnect(ch);
              if (cause == null) {
                state.disconnected();
              }
              return cause;
            });
    if (failure != null) {
      throw NodeErrors.errno(ErrorMapping.toErrno(failure), "connect", failure);
    }
  }

  /**
   * Node's connectSync to an IP literal: binds an unbound socket first (all interfaces, port 0);
   * the work runs on the loop while the caller waits, its failure is thrown and leaves the socket
   * disconnected, and 'listening' (if it bound) and 'connect' follow on the loop.
   */
  void connectSync(InetAddress ip, String host, int port) {
    boolean bindFirst = state.beginConnect(true);
    DgramException err =
        Loops.callAndWait(loop, () -> connectSyncOnLoop(ip, host, port, bindFirst));
    if (err != null) {
      throw err;
    }
  }

  private DgramException connectSyncOnLoop(
      InetAddress ip, String host, int port, boolean bindFirst) {
    assert loop.inEventLoop();
    if (bindFirst) {
      DgramException err = binder.bindAnyOnLoop(false); // fails the connect too
      if (err != null) {
        return err;
      }
    }
    DgramException err =
        state.isClosed() ? NodeErrors.notRunning() : connectChannelOnLoop(ip, host, port);
    if (err != null) {
      state.connectFailedOnLoop();
      return err;
    }
    state.connectedOnLoop();
    dev.jdgram.internal.jfr.JfrHooks.connected(
        state.channel(), transport.remoteAddress(state.channel()));
    loop.execute(
        () -> {
          if (!state.isClosed()) {
            events.emit(SocketEvents.CONNECT); // after 'listening', as on Node's next tick
          }
        });
    return null;
  }
}
