package dev.jdgram.bench.subject;

import dev.jdgram.Dgram;
import dev.jdgram.DgramSocket;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The cold-start probe: run in a fresh JVM, it creates the process's first jdgram socket and binds
 * it, as an application would, and prints {@code RESULT listening_ms=... second_ms=...
 * send_ms=...}: milliseconds from {@code createSocket} to the first socket's {@code 'listening'},
 * the same for a second socket (the warm figure), and from the process's first {@code send} (the
 * first socket to the second) to its callback. Nothing of jdgram or Netty runs before the first
 * socket, so the first figure holds every lazy initialisation the library triggers; the JVM's own
 * start-up is not in it (the orchestrator measures the process's wall time around it).
 *
 * <p>{@code java -cp ... dev.jdgram.bench.subject.ColdStart} runs it alone; the benchmark runs it
 * as {@code JdgramSubject coldstart}.
 */
public final class ColdStart {
  private ColdStart() {}

  /**
   * Measures once and exits.
   *
   * @param args none
   */
  public static void main(String[] args) throws Exception {
    run();
  }

  static void run() throws InterruptedException {
    DgramSocket[] first = new DgramSocket[1];
    DgramSocket[] second = new DgramSocket[1];
    double firstMs = listen(first);
    double secondMs = listen(second);
    double sendMs = sendOnce(first[0], second[0].address().port());
    Control.result(
        String.format(
            Locale.ROOT,
            "listening_ms=%.3f second_ms=%.3f send_ms=%.3f",
            firstMs,
            secondMs,
            sendMs));
    System.exit(0); // as an application ends: shutdown hooks run, the sockets are still open
  }

  /** Milliseconds from the process's first send() to its callback. */
  private static double sendOnce(DgramSocket from, int port) throws InterruptedException {
    CountDownLatch sent = new CountDownLatch(1);
    long[] at = new long[1];
    long t0 = System.nanoTime();
    from.send(
        new byte[] {'h', 'i'},
        port,
        "127.0.0.1",
        (err, bytes) -> {
          if (err != null) {
            Control.fail("first send failed: " + err, err);
          }
          at[0] = System.nanoTime();
          sent.countDown();
        });
    if (!sent.await(30, TimeUnit.SECONDS)) {
      Control.fail("no send callback within 30 s", null);
    }
    return (at[0] - t0) / 1e6;
  }

  /** Creates and binds one socket; milliseconds from createSocket to its 'listening'. */
  private static double listen(DgramSocket[] socket) throws InterruptedException {
    long t0 = System.nanoTime();
    CountDownLatch listening = new CountDownLatch(1);
    long[] at = new long[1];
    DgramSocket s = Dgram.createSocket("udp4");
    socket[0] = s;
    s.on(DgramSocket.ERROR, err -> Control.fail("socket error: " + err, err));
    s.on(
        DgramSocket.LISTENING,
        () -> {
          at[0] = System.nanoTime();
          listening.countDown();
        });
    s.bind(0, "127.0.0.1");
    if (!listening.await(30, TimeUnit.SECONDS)) {
      Control.fail("no 'listening' within 30 s", null);
    }
    return (at[0] - t0) / 1e6;
  }
}
