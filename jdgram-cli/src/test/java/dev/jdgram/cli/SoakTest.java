package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdgram soak}: the run itself (issue 12's "a 60 s run is in CI and must stay flat"), and
 * the verdict it reaches from samples, checked without a network.
 *
 * <p>The run lasts {@code -Djdgram.soak.seconds} (default 60, what CI runs on each JDK).
 */
class SoakTest {
  private static final int SECONDS = Integer.getInteger("jdgram.soak.seconds", 60);

  @Test
  void aSoakOfMixedLoopbackTrafficStaysFlatAndExitsZero(@TempDir Path dir) throws Exception {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();

    int code =
        Main.run(
            out.stream(),
            err.stream(),
            "soak",
            "--seconds",
            String.valueOf(SECONDS),
            "--out",
            dir.toString());

    String both = out.text() + err.text();
    assertEquals(0, code, both);
    assertTrue(out.lines().contains("soak: ok"), both);
    List<String> csv = Files.readAllLines(dir.resolve("soak.csv"), StandardCharsets.UTF_8);
    assertEquals(SoakReport.CSV_HEADER, csv.get(0));
    assertEquals(1 + SECONDS / SoakCommand.DEFAULT_SAMPLE_EVERY, csv.size(), both);
    String[] last = csv.get(csv.size() - 1).split(",");
    assertTrue(Long.parseLong(last[8]) > 1_000, "datagrams sent: " + both);
    assertTrue(Long.parseLong(last[9]) > 1_000, "datagrams received: " + both);
    assertTrue(Files.readString(dir.resolve("soak.svg")).contains("<polyline"));
  }

  private static SoakReport.Sample sample(long seconds, long heap, long fds, long threads) {
    return new SoakReport.Sample(seconds, heap, 0, 0, fds, threads, 8, 0, 0, 0, 0, 0);
  }

  private static List<SoakReport.Sample> samples(long heapStep, long fdStep, long threadStep) {
    List<SoakReport.Sample> samples = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      samples.add(
          sample(5L * i, 50 * SoakReport.MIB + i * heapStep, 30 + i * fdStep, 15 + i * threadStep));
    }
    return samples;
  }

  @Test
  void flatSamplesPass() {
    assertNull(SoakReport.notFlat(samples(0, 0, 0), 10));
  }

  @Test
  void heapThatGrowsPastTheBoundIsNotFlat() {
    String reason = SoakReport.notFlat(samples(4 * SoakReport.MIB, 0, 0), 10);
    assertTrue(reason != null && reason.startsWith("heap after GC grew"), reason);
  }

  @Test
  void descriptorsThatLeakAreNotFlat() {
    String reason = SoakReport.notFlat(samples(0, 5, 0), 10);
    assertTrue(reason != null && reason.startsWith("open descriptors grew"), reason);
  }

  @Test
  void threadsThatLeakAreNotFlat() {
    String reason = SoakReport.notFlat(samples(0, 0, 1), 10);
    assertTrue(reason != null && reason.startsWith("live threads grew"), reason);
  }

  @Test
  void samplesDuringWarmUpDoNotCount() {
    List<SoakReport.Sample> samples = samples(0, 0, 0);
    samples.set(0, sample(5, 500 * SoakReport.MIB, 300, 100));
    assertNull(SoakReport.notFlat(samples, 10));
  }

  @Test
  void tooFewSamplesToJudgeAreNotAFailure() {
    assertNull(SoakReport.notFlat(List.of(sample(20, SoakReport.MIB, 1, 1)), 10));
  }

  @Test
  void aCallbackThatCameBackTwiceFailsTheSoak() {
    SoakTraffic traffic = new SoakTraffic(new PrintStream(PrintStream.nullOutputStream()));
    assertNull(SoakCommand.problem(traffic, true));
    traffic.once("test", (e, n) -> {}).done(null, 1);
    assertNull(SoakCommand.problem(traffic, true));
    Runnable close = traffic.once("close", () -> {});
    close.run();
    close.run();
    assertEquals("1 callback(s) came back twice", SoakCommand.problem(traffic, true));
  }

  @Test
  void anExceptionThatIsNotADgramExceptionFailsTheSoak() {
    SoakTraffic traffic = new SoakTraffic(new PrintStream(PrintStream.nullOutputStream()));
    traffic.failed("send", new IllegalStateException("boom"));
    assertEquals("1 error(s) that are not a DgramException", SoakCommand.problem(traffic, true));
  }

  @Test
  void anUncaughtExceptionFailsTheSoak() {
    SoakTraffic traffic = new SoakTraffic(new PrintStream(PrintStream.nullOutputStream()));
    traffic.uncaught(Thread.currentThread(), new IllegalStateException("boom"));
    assertEquals(
        "1 exception(s) reached an uncaught-exception handler", SoakCommand.problem(traffic, true));
  }

  @Test
  void aSocketLeftOpenFailsTheSoak() {
    SoakTraffic traffic = new SoakTraffic(new PrintStream(PrintStream.nullOutputStream()));
    assertEquals(
        "0 socket(s) still open after closing them all", SoakCommand.problem(traffic, false));
  }
}
