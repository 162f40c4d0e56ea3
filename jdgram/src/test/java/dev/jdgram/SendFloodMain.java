package dev.jdgram;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link SendFloodTest}: a million send() calls without callbacks, back to back,
 * to a port nobody reads, in a small heap. Prints {@code ok sent=… errors=… peakHeapMiB=…} once
 * every send is accounted for, and exits 0; an OutOfMemoryError or a stuck queue exits non-zero.
 */
final class SendFloodMain {
  private SendFloodMain() {}

  public static void main(String[] args) throws Exception {
    int sends = Integer.parseInt(args[0]);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    DgramSocket sink = Dgram.createSocket("udp4");
    DgramSocket sender = Dgram.createSocket("udp4");
    int port = sink.bindSync(0, "127.0.0.1").port();
    sender.bindSync(0, "127.0.0.1");
    byte[] payload = new byte[64];
    long peak = 0;
    for (int i = 0; i < sends; i++) {
      sender.send(payload, port, "127.0.0.1");
      if (i % 50_000 == 0) {
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
      }
    }
    CompletableFuture<Void> last = new CompletableFuture<>();
    sender.send(payload, port, "127.0.0.1", (err, bytes) -> last.complete(null));
    last.get(120, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (sender.getSendQueueCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10); // a bounded poll in a child that only reports
      peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
    }
    SocketStats stats = sender.stats();
    System.out.println(
        "ok sent="
            + stats.datagramsSent()
            + " errors="
            + stats.sendErrors()
            + " queued="
            + sender.getSendQueueCount()
            + " peakHeapMiB="
            + peak / (1024 * 1024));
    sender.close();
    sink.close();
    System.exit(0);
  }
}
