package dev.jdgram.internal.jfr;

import dev.jdgram.DgramException;
import dev.jdgram.SocketStats;
import dev.jdgram.internal.Addresses;
import dev.jdgram.internal.SocketCore;
import io.netty.channel.socket.DatagramChannel;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The events behind {@link JfrHooks}, and the weak registry of open sockets that the periodic
 * Traffic event reads. The periodic hook is added only once Flight Recorder starts (a {@link
 * FlightRecorderListener}), so a JVM that never records pays for one listener, not for JFR's
 * metadata.
 */
final class Jfr {
  /**
   * Open sockets and what their previous Traffic event reported; a socket dropped unclosed goes.
   */
  private static final Map<SocketCore, Entry> LIVE =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * Whether Flight Recorder has started in this JVM. Until it has, no event can be enabled, and the
   * event classes are not even loaded: loading the first one makes the JVM build JFR's metadata,
   * about 100 ms that would otherwise land on the process's first bind.
   */
  private static volatile boolean started;

  static {
    try {
      FlightRecorder.addListener(new Listener());
    } catch (RuntimeException e) {
      // No Flight Recorder here (or not allowed to use it): sockets just get no Traffic events.
    }
  }

  private Jfr() {}

  /** Where one socket stands: its local address and the stats of its previous Traffic event. */
  private static final class Entry {
    volatile String address;
    volatile int port;
    private SocketStats last = new SocketStats(0, 0, 0, 0, 0, 0, 0, 0, 0); // guarded by this

    /** Emits the deltas since the previous call (unless only rebasing), and keeps the stats. */
    synchronized void traffic(SocketCore core, boolean emit) {
      SocketStats now = core.stats();
      SocketStats prev = last;
      last = now;
      if (!emit) {
        return;
      }
      TrafficEvent e = new TrafficEvent();
      e.address = address;
      e.port = port;
      e.datagramsReceived = now.datagramsReceived() - prev.datagramsReceived();
      e.bytesReceived = now.bytesReceived() - prev.bytesReceived();
      e.datagramsSent = now.datagramsSent() - prev.datagramsSent();
      e.bytesSent = now.bytesSent() - prev.bytesSent();
      e.sendErrors = now.sendErrors() - prev.sendErrors();
      e.sendBlocked = now.sendBlocked() - prev.sendBlocked();
      e.sendQueueRefused = now.sendQueueRefused() - prev.sendQueueRefused();
      e.receiveBlocked = now.receiveBlocked() - prev.receiveBlocked();
      e.kernelDrops =
          now.kernelDrops() < 0 ? -1 : now.kernelDrops() - Math.max(0, prev.kernelDrops());
      e.commit();
    }
  }

  static void register(SocketCore core) {
    LIVE.put(core, new Entry());
  }

  static void bound(SocketCore core, DatagramChannel ch, String transport) {
    InetSocketAddress local = inet(ch.localAddress());
    Entry entry = LIVE.get(core);
    if (entry != null && local != null) {
      entry.address = format(local);
      entry.port = local.getPort();
    }
    if (!started) {
      return;
    }
    BindEvent e = new BindEvent();
    if (e.isEnabled()) {
      e.address = format(local);
      e.port = local == null ? 0 : local.getPort();
      e.transport = transport;
      e.commit();
    }
  }

  static void connected(DatagramChannel ch, InetSocketAddress remote) {
    if (!started) {
      return;
    }
    ConnectEvent e = new ConnectEvent();
    if (!e.isEnabled()) {
      return;
    }
    InetSocketAddress local = inet(ch.localAddress());
    e.address = format(local);
    e.port = local == null ? 0 : local.getPort();
    e.remoteAddress = format(remote);
    e.remotePort = remote == null ? 0 : remote.getPort();
    e.commit();
  }

  /** Emits Close and the socket's last Traffic, and forgets the socket. */
  static void closed(SocketCore core, DatagramChannel ch) {
    Entry entry = LIVE.remove(core);
    if (!started) {
      return;
    }
    if (entry != null && trafficEnabled()) {
      entry.traffic(core, true);
    }
    CloseEvent e = new CloseEvent();
    if (e.isEnabled()) {
      InetSocketAddress local = ch == null ? null : inet(ch.localAddress());
      e.address = format(local);
      e.port = local == null ? 0 : local.getPort();
      e.commit();
    }
  }

  static void error(DgramException err) {
    if (!started) {
      return;
    }
    ErrorEvent e = new ErrorEvent();
    if (e.isEnabled()) {
      e.code = err.code();
      e.syscall = err.syscall();
      e.message = err.getMessage();
      e.commit();
    }
  }

  /** Whether a recording wants Traffic events now. */
  private static boolean trafficEnabled() {
    return new TrafficEvent().isEnabled();
  }

  /** The periodic hook: one Traffic event per open socket, on the recorder's thread. */
  private static void emitTraffic() {
    forEachLive(true);
  }

  private static void forEachLive(boolean emit) {
    List<Map.Entry<SocketCore, Entry>> sockets;
    synchronized (LIVE) {
      sockets = new ArrayList<>(LIVE.entrySet());
    }
    for (Map.Entry<SocketCore, Entry> s : sockets) {
      try {
        s.getValue().traffic(s.getKey(), emit);
      } catch (RuntimeException e) {
        // Closed meanwhile: its last Traffic event came from close.
      }
    }
  }

  private static InetSocketAddress inet(SocketAddress a) {
    return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
  }

  private static String format(InetSocketAddress a) {
    if (a == null || a.getAddress() == null) {
      return null;
    }
    return Addresses.format(a.getAddress(), a.getAddress() instanceof Inet6Address);
  }

  /**
   * Adds the periodic Traffic hook once Flight Recorder starts, and rebases every socket when the
   * first recording starts, so its first Traffic events count from then, not from the socket's
   * creation or the previous recording.
   */
  private static final class Listener implements FlightRecorderListener {
    @Override
    public void recorderInitialized(FlightRecorder recorder) {
      started = true;
      FlightRecorder.addPeriodicEvent(TrafficEvent.class, Jfr::emitTraffic);
    }

    @Override
    public void recordingStateChanged(Recording recording) {
      if (recording.getState() != RecordingState.RUNNING) {
        return;
      }
      long running =
          FlightRecorder.getFlightRecorder().getRecordings().stream()
              .filter(r -> r.getState() == RecordingState.RUNNING)
              .count();
      if (running == 1) {
        forEachLive(false);
      }
    }
  }
}
