package dev.jdgram.cli;

import dev.jdgram.DgramSocket;
import dev.jdgram.SocketStats;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code listen --stats}: once a second, one line of what the socket received and lost in that
 * second and in all, from {@link DgramSocket#stats()}, so a user sees loss at a glance.
 */
final class StatsPrinter {
  private final DgramSocket socket;
  private final PrintStream out;
  private SocketStats last;

  StatsPrinter(DgramSocket socket, PrintStream out) {
    this.socket = socket;
    this.out = out;
  }

  /** Starts printing every second on a daemon thread; returns what stops it. */
  Runnable start() {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jdgram-listen-stats");
              t.setDaemon(true);
              return t;
            });
    last = socket.stats();
    timer.scheduleAtFixedRate(this::printLine, 1, 1, TimeUnit.SECONDS);
    return timer::shutdownNow;
  }

  private void printLine() {
    SocketStats now = socket.stats();
    out.println(line(last, now));
    last = now;
  }

  /** The line for one second, from the stats at its start and at its end. */
  static String line(SocketStats before, SocketStats now) {
    long kernel = Math.max(0, now.kernelDrops()) - Math.max(0, before.kernelDrops());
    long blocked = now.receiveBlocked() - before.receiveBlocked();
    long totalDropped = Math.max(0, now.kernelDrops()) + now.receiveBlocked();
    return "stats: received "
        + (now.datagramsReceived() - before.datagramsReceived())
        + "/s, dropped "
        + (kernel + blocked)
        + "/s (kernel "
        + (now.kernelDrops() < 0 ? "unknown" : String.valueOf(kernel))
        + ", block list "
        + blocked
        + "); total received "
        + now.datagramsReceived()
        + ", dropped "
        + totalDropped;
  }
}
