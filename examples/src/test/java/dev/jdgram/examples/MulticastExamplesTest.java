package dev.jdgram.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.DgramSocket;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The multicast sender and receiver on loopback: any-source on a 239.x group and source-specific on
 * a 232.x group with source 127.0.0.1, both joined and sent on 127.0.0.1. Groups are random and
 * payloads tagged, so other tests' traffic on this host cannot be mistaken for ours.
 */
class MulticastExamplesTest {

  private static String tag(String what) {
    return what + "-" + UUID.randomUUID();
  }

  /** The next datagram line carrying {@code tag}, skipping strays. */
  private static String awaitTag(Lines lines, String tag) throws InterruptedException {
    while (true) {
      String line = lines.next(tag);
      if (line.contains(tag)) {
        return line;
      }
    }
  }

  @Test
  void anySourceReceiverGetsTheSendersDatagram() throws Exception {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String group = "239.255." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    Lines lines = new Lines();
    DgramSocket receiver = MulticastReceiver.join(group, 0, "127.0.0.1", lines);
    try {
      int port = receiver.address().port();
      assertEquals(
          "listening on port " + port + ", joined " + group + " on 127.0.0.1",
          lines.next("the join"));

      String hello = tag("hello");
      int bytes = MulticastSender.send(hello, group, port, "127.0.0.1").get(10, TimeUnit.SECONDS);
      assertEquals(hello.length(), bytes);
      String got = awaitTag(lines, hello);
      assertTrue(got.startsWith("multicast got: " + hello + " from 127.0.0.1:"), got);
    } finally {
      receiver.close();
    }
  }

  @Test
  void sourceSpecificReceiverGetsTheSourcesDatagram() throws Exception {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String group =
        "232." + (1 + r.nextInt(254)) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    Lines lines = new Lines();
    DgramSocket receiver =
        MulticastReceiver.joinSourceSpecific("127.0.0.1", group, 0, "127.0.0.1", lines);
    try {
      int port = receiver.address().port();
      assertEquals(
          "listening on port " + port + ", joined " + group + " from source 127.0.0.1 on 127.0.0.1",
          lines.next("the join"));

      String hello = tag("ssm");
      MulticastSender.send(hello, group, port, "127.0.0.1").get(10, TimeUnit.SECONDS);
      String got = awaitTag(lines, hello);
      assertTrue(got.startsWith("multicast got: " + hello + " from 127.0.0.1:"), got);
    } finally {
      receiver.close();
    }
  }
}
