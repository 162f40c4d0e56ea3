package dev.jdgram.examples;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import dev.jdgram.SocketOptions;
import dev.jdgram.SocketStats;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * jdgram's {@code stats()}: what a socket received, sent and lost. A receiver whose listener is too
 * slow for a burst loses datagrams in the kernel (its receive buffer is full); {@code stats()}
 * counts them, so received + dropped adds up to what was sent.
 *
 * <pre>
 * java ... dev.jdgram.examples.Stats [count]     (default 5000)
 * sent 5000 datagrams of 64 bytes
 * received 612, dropped by the kernel 4388: 5000 in all
 * </pre>
 */
public final class Stats {
  private Stats() {}

  /**
   * Sends {@code count} datagrams to a deliberately slow receiver on 127.0.0.1 and reports its
   * stats once every datagram is either received or counted as dropped.
   *
   * @param count how many datagrams to send
   * @param out where the lines go
   * @return the receiver's stats at the end
   * @throws Exception if a send fails or the counts do not add up within 10 s
   */
  public static SocketStats run(int count, Consumer<String> out) throws Exception {
    DgramSocket receiver =
        Dgram.createSocket(SocketOptions.of("udp4").recvBufferSize(32 * 1024).ownEventLoop(true));
    receiver.on(DgramSocket.MESSAGE, (msg, rinfo) -> LockSupport.parkNanos(100_000)); // slow
    DgramSocket sender = Dgram.createSocket("udp4");
    try {
      int port = receiver.bindSync(0, "127.0.0.1").port();
      CompletableFuture<Void> last = new CompletableFuture<>();
      byte[] payload = new byte[64];
      for (int i = 0; i < count; i++) {
        if (i == count - 1) {
          sender.send(payload, port, "127.0.0.1", (err, bytes) -> last.complete(null));
        } else {
          sender.send(payload, port, "127.0.0.1");
        }
      }
      last.get(10, TimeUnit.SECONDS);
      long sent = sender.stats().datagramsSent();
      out.accept("sent " + sent + " datagrams of 64 bytes");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      SocketStats stats = receiver.stats();
      while (stats.datagramsReceived() + stats.kernelDrops() < sent) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the counts did not add up: " + stats);
        }
        Thread.sleep(10); // the receiver is still working through its buffer
        stats = receiver.stats();
      }
      out.accept(
          "received "
              + stats.datagramsReceived()
              + ", dropped by the kernel "
              + stats.kernelDrops()
              + ": "
              + (stats.datagramsReceived() + stats.kernelDrops())
              + " in all");
      return stats;
    } finally {
      sender.close();
      receiver.close();
    }
  }

  /**
   * Runs the example once.
   *
   * @param args the number of datagrams (default 5000)
   * @throws Exception if a send fails
   */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? Integer.parseInt(args[0]) : 5000, System.out::println);
  }
}
