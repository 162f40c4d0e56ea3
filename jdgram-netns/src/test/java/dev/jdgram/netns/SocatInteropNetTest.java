package dev.jdgram.netns;

import static dev.jdgram.netns.Groups.pick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jdgram (on a) and socat (on b) exchange a burst of 10,000 checksummed datagrams each way.
 *
 * <p>socat carries datagrams to and from a byte stream, so every datagram has the same size ({@link
 * Burst#SIZE}) and the stream is cut back into datagrams by size. Towards jdgram: {@code socat -u
 * -b 512 STDIN UDP4-SENDTO:...} with this JVM writing the datagrams into socat's stdin, one write
 * of 512 bytes each (pipe writes of up to PIPE_BUF are atomic, so each read of socat is one
 * datagram), paced as the agents pace. From jdgram: {@code socat -u UDP4-RECV:port STDOUT}, whose
 * output must be exactly the 10,000 datagrams.
 */
@ExtendWith(Lab.Extension.class)
class SocatInteropNetTest {
  private final Lab lab;

  SocatInteropNetTest(Lab lab) {
    this.lab = lab;
  }

  private static String socatAddress(String type, String kind, String host, int port) {
    return Groups.v4(type)
        ? "UDP4-" + kind + ":" + (host == null ? "" : host + ":") + port
        : "UDP6-" + kind + ":" + (host == null ? "" : "[" + host + "]:") + port;
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void burstFromSocatToJdgramArrivesWhole(String type) throws IOException, InterruptedException {
    Sock rx = lab.java("a").socket(type, "buf=" + Burst.BUFFER).bind();
    rx.call("burstrecv");
    String to = socatAddress(type, "SENDTO", pick(type, Lab.A1, Lab.A1_6), rx.port());
    Process socat =
        lab.net.start("b", List.of("socat", "-u", "-b", String.valueOf(Burst.SIZE), "STDIN", to));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Netns.drain(socat.getErrorStream(), err);
    try (OutputStream in = socat.getOutputStream()) {
      for (int i = 0; i < Burst.COUNT; i++) {
        in.write(Burst.datagram(i));
        in.flush();
        if (i % Burst.BATCH == Burst.BATCH - 1) {
          Netns.sleep(Burst.PAUSE_MILLIS);
        }
      }
    }
    assertTrue(
        socat.waitFor(Host.WAIT_MILLIS, TimeUnit.MILLISECONDS), "socat exits at end of input");
    assertEquals(0, socat.exitValue(), "socat: " + err);
    NodeInteropNetTest.assertBurstReceived(lab, rx, "a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp4", "udp6"})
  void burstFromJdgramToSocatArrivesWhole(String type) throws InterruptedException {
    int port = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
    String from = socatAddress(type, "RECV", null, port) + ",rcvbuf=" + Burst.BUFFER;
    Process socat = lab.net.start("b", List.of("socat", "-u", "-b", "65536", from, "STDOUT"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Netns.drain(socat.getInputStream(), out);
    Netns.drain(socat.getErrorStream(), err);
    try {
      awaitUdpListener("b", port, socat, err);
      Sock tx = lab.java("a").socket(type, "buf=" + Burst.BUFFER).bind();
      tx.call(
          "burstsend",
          Burst.COUNT,
          port,
          pick(type, Lab.B, Lab.B6),
          Burst.BATCH,
          Burst.PAUSE_MILLIS);
      String sent =
          tx.host.await(l -> l.startsWith("ev " + tx.id + " burstsent "), 120_000, "burst sent");
      assertEquals("ev " + tx.id + " burstsent " + Burst.COUNT + " 0 -", sent);
      long total = (long) Burst.COUNT * Burst.SIZE;
      for (int i = 0; i < 200 && size(out) < total; i++) {
        Netns.sleep(50);
      }
      byte[] stream;
      synchronized (out) {
        stream = out.toByteArray();
      }
      Burst.Tally tally = new Burst.Tally();
      for (int at = 0; at + Burst.SIZE <= stream.length; at += Burst.SIZE) {
        tally.add(Arrays.copyOfRange(stream, at, at + Burst.SIZE));
      }
      assertEquals(
          Burst.COUNT + " " + Burst.COUNT + " 0 0",
          tally.summary(),
          "received, valid, corrupt, duplicate datagrams at socat ("
              + stream.length
              + " bytes, first"
              + " missing "
              + tally.firstMissing(Burst.COUNT)
              + "); kernel counters:\n"
              + lab.udpCounters("b"));
      assertEquals(total, stream.length, "nothing more than the burst");
    } finally {
      socat.destroyForcibly();
    }
  }

  private static long size(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.size();
    }
  }

  /** Waits (bounded) until a UDP socket listens on {@code port} in {@code role}'s namespace. */
  private void awaitUdpListener(String role, int port, Process p, ByteArrayOutputStream err) {
    for (int i = 0; i < 200; i++) {
      if (!p.isAlive()) {
        fail("socat exited: " + err);
      }
      if (!lab.net.exec(role, "ss", "-Huln", "sport = :" + port).isBlank()) {
        return;
      }
      Netns.sleep(25);
    }
    fail("socat not listening on port " + port + ": " + err);
  }
}
