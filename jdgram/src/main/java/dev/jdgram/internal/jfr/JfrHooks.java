package dev.jdgram.internal.jfr;

import dev.jdgram.DgramException;
import dev.jdgram.internal.SocketCore;
import dev.jdgram.internal.Transport;
import io.netty.channel.socket.DatagramChannel;
import java.net.InetSocketAddress;

/**
 * The core's Flight Recorder hooks, one call each. Each returns at once unless a recording has its
 * event enabled; none runs per datagram (traffic is read from {@code stats()} once a second, on the
 * recorder's thread). A runtime image without the {@code jdk.jfr} module (a jlink image on the
 * class path) gets no events and no failure: the events live in {@link Jfr}, which is loaded only
 * when the module is there.
 */
public final class JfrHooks {
  private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

  private JfrHooks() {}

  /** A socket was created: it gets Traffic events while it is open. Registering reads nothing. */
  public static void register(SocketCore core) {
    if (AVAILABLE) {
      Jfr.register(core);
    }
  }

  /** The socket is bound to {@code ch}'s local address; loop thread. */
  public static void bound(SocketCore core, DatagramChannel ch, Transport transport) {
    if (AVAILABLE) {
      Jfr.bound(core, ch, transport.name());
    }
  }

  /** The socket is connected to {@code remote}; loop thread. */
  public static void connected(DatagramChannel ch, InetSocketAddress remote) {
    if (AVAILABLE) {
      Jfr.connected(ch, remote);
    }
  }

  /** The socket is closing ({@code ch} still open, or null if never bound); loop thread. */
  public static void closed(SocketCore core, DatagramChannel ch) {
    if (AVAILABLE) {
      Jfr.closed(core, ch);
    }
  }

  /** The socket emits 'error'; loop thread. */
  public static void error(DgramException err) {
    if (AVAILABLE) {
      Jfr.error(err);
    }
  }
}
