package dev.jdgram.internal;

import io.netty.channel.socket.DatagramChannel;
import java.util.concurrent.CompletableFuture;

/**
 * The state machine of one socket: Node's {@code bindState}, {@code connectState} and handle (open
 * or closed), and the two steps of a close. Every transition is a named method here and checks
 * where it comes from; nothing else writes the state.
 *
 * <h2>Transitions</h2>
 *
 * <table>
 *   <caption>bind</caption>
 *   <tr><th>transition</th><th>from</th><th>to</th><th>thread</th><th>caller</th></tr>
 *   <tr><td>{@link #beginBind}</td><td>UNBOUND, open</td><td>BINDING</td><td>any</td>
 *       <td>bind, bind({fd}), bindSync (Node errors: Not running, already bound)</td></tr>
 *   <tr><td>{@link #beginImplicitBind}</td><td>UNBOUND</td><td>BINDING</td><td>any</td>
 *       <td>send, connect, addMembership on an unbound socket</td></tr>
 *   <tr><td>{@link #boundOnLoop}</td><td>BINDING</td><td>BOUND</td><td>loop</td>
 *       <td>the bind succeeded</td></tr>
 *   <tr><td>{@link #bindFailedOnLoop}</td><td>BINDING</td><td>UNBOUND (and a CONNECTING
 *       socket DISCONNECTED)</td><td>loop</td><td>the bind failed</td></tr>
 * </table>
 *
 * <table>
 *   <caption>connect</caption>
 *   <tr><th>transition</th><th>from</th><th>to</th><th>thread</th><th>caller</th></tr>
 *   <tr><td>{@link #beginConnect}</td><td>DISCONNECTED, open</td><td>CONNECTING</td>
 *       <td>any</td><td>connect, connectSync (Node error: already connected)</td></tr>
 *   <tr><td>{@link #connectedOnLoop}</td><td>CONNECTING</td><td>CONNECTED</td><td>loop</td>
 *       <td>connect(2) succeeded</td></tr>
 *   <tr><td>{@link #connectFailedOnLoop}</td><td>CONNECTING</td><td>DISCONNECTED</td>
 *       <td>loop</td><td>the lookup, the block list or connect(2) failed</td></tr>
 *   <tr><td>{@link #disconnected}</td><td>CONNECTED</td><td>DISCONNECTED</td><td>any</td>
 *       <td>disconnect, once the kernel has dissolved the association</td></tr>
 * </table>
 *
 * <table>
 *   <caption>close</caption>
 *   <tr><th>transition</th><th>from</th><th>to</th><th>thread</th><th>caller</th></tr>
 *   <tr><td>{@link #beginClose}</td><td>open</td><td>closed</td><td>any</td>
 *       <td>close (a second close finds it closed and does nothing)</td></tr>
 *   <tr><td>{@link #deferCloseOnLoop}</td><td>closed, BINDING</td><td>close waits for the
 *       bind</td><td>loop</td><td>close with sends queued behind a pending bind (Node queues the
 *       close behind them)</td></tr>
 *   <tr><td>{@link #closeDoneOnLoop}</td><td>closed</td><td>close done</td><td>loop</td>
 *       <td>the channel is closed; 'close' follows</td></tr>
 * </table>
 *
 * <p>The bind and connect states are independent of each other but for one rule: CONNECTING implies
 * BINDING or BOUND. A closed socket never leaves closed. The keep-alive of the JVM follows the
 * state: held while open, ref'ed and BINDING or BOUND.
 *
 * <p>Threading: transitions and checks take this object's lock, which is never held while a
 * listener runs; the fields are volatile, so queries need no lock. The lock also orders a send
 * queued while BINDING against the failure of that bind (see {@link SocketCore}).
 */
final class SocketState {
  enum Bind {
    UNBOUND,
    BINDING,
    BOUND
  }

  enum Connect {
    DISCONNECTED,
    CONNECTING,
    CONNECTED
  }

  private final SocketKeepAlive keepAlive = new SocketKeepAlive();

  private volatile boolean closed;
  private volatile Bind bind = Bind.UNBOUND;
  private volatile Connect connect = Connect.DISCONNECTED;
  private volatile DatagramChannel channel;
  private volatile CompletableFuture<Void> bindSettled = CompletableFuture.completedFuture(null);

  // Written and read on the loop only.
  private boolean closeAfterBind;
  private boolean closeDone;

  // ---------------------------------------------------------------- queries

  boolean isClosed() {
    return closed;
  }

  Bind bind() {
    return bind;
  }

  boolean isBound() {
    return bind == Bind.BOUND;
  }

  boolean isConnected() {
    return connect == Connect.CONNECTED;
  }

  /** The bound channel, or null. */
  DatagramChannel channel() {
    return channel;
  }

  /** Completes when the current (or last) bind has succeeded or failed. */
  CompletableFuture<Void> bindSettled() {
    return bindSettled;
  }

  /** Whether a close waits for the pending bind; loop thread. */
  boolean closeAfterBind() {
    return closeAfterBind;
  }

  /** Whether the close has run on the loop; loop thread. */
  boolean isCloseDone() {
    return closeDone;
  }

  // ---------------------------------------------------------------- checks for public calls

  /** Node's healthCheck: ERR_SOCKET_DGRAM_NOT_RUNNING once closed. */
  void requireRunning() {
    if (closed) {
      throw NodeErrors.notRunning();
    }
  }

  /** ERR_SOCKET_DGRAM_NOT_CONNECTED unless connected. */
  void requireConnected() {
    if (connect != Connect.CONNECTED) {
      throw NodeErrors.notConnected();
    }
  }

  // ---------------------------------------------------------------- bind

  /** Node's checks of an explicit bind: Not running, then already bound. */
  synchronized void requireBindable() {
    requireRunning();
    if (bind != Bind.UNBOUND) {
      throw NodeErrors.alreadyBound();
    }
  }

  /** UNBOUND to BINDING for an explicit bind; Node's errors otherwise. */
  synchronized void beginBind() {
    requireBindable();
    enterBinding();
  }

  /**
   * UNBOUND to BINDING for the implicit bind of send, connect and membership.
   *
   * @return whether a bind was started (false: bound or binding already)
   */
  synchronized boolean beginImplicitBind() {
    if (bind != Bind.UNBOUND) {
      return false;
    }
    enterBinding();
    return true;
  }

  private void enterBinding() {
    bind = Bind.BINDING;
    bindSettled = new CompletableFuture<>();
    keepAlive.update(wantsKeepAlive());
  }

  /** BINDING to BOUND on {@code ch}. */
  void boundOnLoop(DatagramChannel ch) {
    synchronized (this) {
      expect(bind == Bind.BINDING, "bound");
      channel = ch;
      bind = Bind.BOUND;
      keepAlive.update(wantsKeepAlive());
    }
    bindSettled.complete(null);
  }

  /**
   * BINDING to UNBOUND; a connect waiting for the bind fails with it. Runs {@code whileLocked}
   * before the bind settles, under the lock that a send queued while BINDING takes.
   */
  void bindFailedOnLoop(Runnable whileLocked) {
    synchronized (this) {
      expect(bind == Bind.BINDING, "bind failed");
      whileLocked.run();
      bind = Bind.UNBOUND;
      channel = null;
      if (connect == Connect.CONNECTING) {
        connect = Connect.DISCONNECTED;
      }
      keepAlive.update(wantsKeepAlive());
    }
    bindSettled.complete(null);
  }

  // ---------------------------------------------------------------- connect

  /**
   * DISCONNECTED to CONNECTING; Node's errors otherwise (already connected first, as Node checks).
   *
   * @param refuseWhileBinding connectSync: an asynchronous bind under way is "already bound"
   * @return whether the socket was unbound, so the caller must bind it first (it is BINDING now)
   */
  synchronized boolean beginConnect(boolean refuseWhileBinding) {
    if (connect != Connect.DISCONNECTED) {
      throw NodeErrors.isConnected();
    }
    requireRunning();
    if (refuseWhileBinding && bind == Bind.BINDING) {
      throw NodeErrors.alreadyBound();
    }
    connect = Connect.CONNECTING;
    if (bind == Bind.UNBOUND) {
      enterBinding();
      return true;
    }
    return false;
  }

  synchronized void connectedOnLoop() {
    expect(connect == Connect.CONNECTING, "connected");
    connect = Connect.CONNECTED;
  }

  /** CONNECTING to DISCONNECTED; nothing if a failed bind already took it there. */
  synchronized void connectFailedOnLoop() {
    if (connect == Connect.CONNECTING) {
      connect = Connect.DISCONNECTED;
    }
  }

  synchronized void disconnected() {
    if (connect == Connect.CONNECTED) {
      connect = Connect.DISCONNECTED;
    }
  }

  /** The channel of a connected, open socket for disconnect(); Node's errors otherwise. */
  synchronized DatagramChannel channelToDisconnect() {
    requireConnected();
    requireRunning(); // Node's handle is gone: its call would not even run
    return channel;
  }

  // ---------------------------------------------------------------- close

  /**
   * Open to closed.
   *
   * @return false if it was closed already
   */
  synchronized boolean beginClose() {
    if (closed) {
      return false;
    }
    closed = true; // the JVM stays held until the close has run on the loop
    return true;
  }

  /** A close that must wait until the pending bind settles, so queued sends go out first. */
  void deferCloseOnLoop() {
    expect(closed && bind == Bind.BINDING, "close deferred");
    closeAfterBind = true;
  }

  /** The close ran: the channel is closed and 'close' follows; the JVM is no longer held. */
  synchronized void closeDoneOnLoop() {
    expect(closed && !closeDone, "close done");
    closeAfterBind = false;
    closeDone = true;
    keepAlive.update(wantsKeepAlive());
  }

  // ---------------------------------------------------------------- ref / unref

  synchronized void ref(boolean on) {
    keepAlive.ref(on);
    keepAlive.update(wantsKeepAlive());
  }

  private boolean wantsKeepAlive() {
    return !closed && bind != Bind.UNBOUND;
  }

  /** An illegal transition is a bug in jdgram, never the caller's doing. */
  private void expect(boolean legal, String transition) {
    if (!legal) {
      throw new IllegalStateException(
          "illegal transition '"
              + transition
              + "' from "
              + bind
              + "/"
              + connect
              + (closed ? "/closed" : "/open"));
    }
  }
}
