package dev.jdgram.bench.subject;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * The receiver that send workloads send into: a non-blocking JDK {@link DatagramChannel} read in a
 * spin loop on a dedicated thread that never sleeps, so the sender under test never pays for waking
 * it (NETTY-NOTES, "Measuring sends on loopback"). It only counts; one direct buffer, no copy.
 *
 * <p>Usage: {@code Sink [port=P]}; the line protocol of {@link Control}.
 */
public final class Sink {
  private Sink() {}

  /**
   * Runs the sink.
   *
   * @param args {@code port=P}, default any
   */
  public static void main(String[] args) throws Exception {
    Params p = new Params(args, 0);
    DatagramChannel ch = DatagramChannel.open();
    // The default receive buffer, deliberately: on loopback a datagram queued at the receiver still
    // counts against the sender's SO_SNDBUF until it is read, so a receive buffer larger than the
    // sender's send buffer would throttle the sender to the sink's read rate (about 1 M/s, one
    // syscall per datagram). With the default, a sender faster than the sink completes its sends
    // and the surplus shows as the sink's drops.
    ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p.integer("port", 0)));
    ch.configureBlocking(false);
    Meter meter = new Meter();
    Thread spin =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
              try {
                while (true) {
                  buf.clear();
                  if (ch.receive(buf) != null) {
                    meter.add(1, buf.position());
                  } else {
                    Thread.onSpinWait();
                  }
                }
              } catch (java.io.IOException e) {
                Control.fail("sink receive failed", e);
              }
            },
            "bench-sink");
    spin.setDaemon(true);
    spin.start();
    Control.ready("port=" + ((InetSocketAddress) ch.getLocalAddress()).getPort());
    Meter.Window window = new Meter.Window(List.of(meter));
    Control.serve(window::mark, window::stop);
  }
}
