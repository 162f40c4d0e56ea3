package dev.jdgram.internal;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event-loop threads of a transport: the shared loop that every socket runs on by default (one
 * thread, as all of Node runs on one), and the pool for sockets created with {@code ownEventLoop}
 * (one loop per processor). Every thread is a daemon, so loops alone never keep the JVM alive;
 * sockets do that through {@link KeepAlive}. Netty starts each thread on first use.
 */
public final class EventLoops {
  private final Transport transport;
  private volatile EventLoopGroup shared;
  private volatile LoopPool own;

  EventLoops(Transport transport) {
    this.transport = transport;
  }

  /** The shared group of one loop. */
  public EventLoopGroup shared() {
    EventLoopGroup g = shared;
    if (g == null) {
      synchronized (this) {
        g = shared;
        if (g == null) {
          g = newGroup(1, "");
          shared = g;
        }
      }
    }
    return g;
  }

  /**
   * The loop a new socket runs on: the shared one, or with {@code ownEventLoop} the pool's loop
   * with the fewest sockets (hand it back with {@link #give}).
   */
  EventLoop take(boolean ownEventLoop) {
    EventLoop loop = ownEventLoop ? own().take() : shared().next();
    ExitWakeups.add(loop);
    return loop;
  }

  /** A socket created with {@code ownEventLoop} on {@code loop} has closed. */
  void give(EventLoop loop) {
    own().give(loop);
  }

  /** The loops of sockets created with {@code ownEventLoop}, one per processor. */
  LoopPool own() {
    LoopPool p = own;
    if (p == null) {
      synchronized (this) {
        p = own;
        if (p == null) {
          p = new LoopPool(newGroup(Runtime.getRuntime().availableProcessors(), "-own"));
          own = p;
        }
      }
    }
    return p;
  }

  /** A new group of daemon loop threads named {@code jdgram-<transport><suffix>-...}. */
  private EventLoopGroup newGroup(int threads, String suffix) {
    return new MultiThreadIoEventLoopGroup(
        threads,
        new DefaultThreadFactory("jdgram-" + transport.name() + suffix, true),
        transport.ioHandlerFactory());
  }
}
