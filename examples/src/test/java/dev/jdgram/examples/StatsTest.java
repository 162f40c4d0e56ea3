package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jdgram.SocketStats;
import org.junit.jupiter.api.Test;

/** stats(): what the slow receiver got plus what the kernel dropped is what was sent. */
class StatsTest {

  @Test
  void receivedPlusKernelDropsIsWhatWasSent() throws Exception {
    Lines lines = new Lines();
    SocketStats stats = Stats.run(5000, lines);
    assertEquals("sent 5000 datagrams of 64 bytes", lines.next("the sender's count"));
    assertEquals(5000, stats.datagramsReceived() + stats.kernelDrops());
  }
}
