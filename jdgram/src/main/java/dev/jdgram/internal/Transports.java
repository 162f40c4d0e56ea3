package dev.jdgram.internal;

import java.util.Locale;

/**
 * Chooses the transport for this JVM, once: Netty's native epoll where it is available (Linux),
 * else Java NIO. The system property {@code dev.jdgram.transport} ({@code auto}, {@code epoll},
 * {@code io_uring} or {@code nio}) picks one, so the test suite runs on each.
 */
public final class Transports {
  /** The system property that picks the transport. */
  public static final String PROPERTY = "dev.jdgram.transport";

  /** Netty's switch for its buffer-allocator Flight Recorder events. */
  static final String NETTY_JFR = "io.netty.jfr.enabled";

  static {
    // Netty 4.2 registers JFR events for its buffer allocator on the first allocation: about
    // 100 jdk.jfr classes and 100-170 ms on the process's first send, and an event per buffer
    // while a recording runs. jdgram turns them off unless the application chose (-D...=true);
    // its own events are per socket. This runs before jdgram loads any Netty class.
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
  }

  private static volatile Transport current;
  private static volatile EventLoops loops;

  private Transports() {}

  /** Returns the transport that sockets use, chosen on first use. */
  public static Transport current() {
    Transport t = current;
    if (t == null) {
      synchronized (Transports.class) {
        t = current;
        if (t == null) {
          t = choose(System.getProperty(PROPERTY, "auto"));
          current = t;
        }
      }
    }
    return t;
  }

  /** The event loops of the current transport. */
  public static EventLoops loops() {
    EventLoops l = loops;
    if (l == null) {
      synchronized (Transports.class) {
        l = loops;
        if (l == null) {
          l = new EventLoops(current());
          loops = l;
        }
      }
    }
    return l;
  }

  static Transport choose(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "epoll":
        if (!EpollTransport.available()) {
          throw new IllegalStateException(
              "jdgram: epoll transport requested but unavailable: " + EpollTransport.cause());
        }
        return new EpollTransport();
      case "io_uring":
        if (!IoUringTransport.available()) {
          throw new IllegalStateException(
              "jdgram: io_uring transport requested but unavailable: " + IoUringTransport.cause());
        }
        return new IoUringTransport();
      case "nio":
        return new NioTransport();
      case "auto":
      case "":
        return EpollTransport.available() ? new EpollTransport() : new NioTransport();
      default:
        throw new IllegalArgumentException(
            "jdgram: unknown " + PROPERTY + " '" + name + "' (auto, epoll, io_uring or nio)");
    }
  }
}
