package dev.jdgram.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdgram.bench.report.Metric;
import dev.jdgram.bench.report.Reports;
import dev.jdgram.bench.report.Results;
import dev.jdgram.bench.report.SvgChart;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of the command line and the arithmetic of the reports, without any network. */
class BenchOptionsTest {
  @Test
  void defaultsAreThreeRunsOfFiveSecondsOfEverything() {
    BenchOptions o = BenchOptions.parse();
    assertEquals(3, o.runs());
    assertEquals(5.0, o.seconds());
    assertEquals(BenchOptions.ALL_WORKLOADS, o.workloads());
    assertEquals(List.of(Subject.values()), o.subjects());
  }

  @Test
  void subjectsKeepCanonicalOrderAndUnknownNamesAreRejected() {
    BenchOptions o = BenchOptions.parse("--subjects", "netty,node", "--workloads", "recv");
    assertEquals(List.of(Subject.NODE, Subject.NETTY), o.subjects());
    assertEquals(List.of("recv"), o.workloads());
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--subjects", "rust"));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--workloads", "tcp"));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--runs", "0"));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--seconds"));
    assertNull(BenchOptions.parse("--help"));
  }

  @Test
  void quickShortensTheWindowUnlessGiven() {
    assertTrue(BenchOptions.parse("--quick").seconds() < 1);
    assertEquals(2.0, BenchOptions.parse("--quick", "--seconds", "2").seconds());
  }

  @Test
  void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
    BenchOptions o =
        BenchOptions.parse("--runs=1", "--seconds", "2", "--subjects=node", "--out=/tmp/b x");
    assertEquals(1, o.runs());
    assertEquals(2.0, o.seconds());
    assertEquals(List.of(Subject.NODE), o.subjects());
    assertEquals(Path.of("/tmp/b x"), o.out());
  }

  @Test
  void badOptionsAreOneLineUsageErrorsInTheCommandsWords() {
    assertEquals("unknown option '--bogus' for 'bench'", usageError("--bogus"));
    assertEquals("unexpected argument 'recv' for 'bench'", usageError("recv"));
    assertEquals("missing value for '--seconds'", usageError("--seconds"));
    assertEquals("option '--runs' given twice", usageError("--runs", "1", "--runs=2"));
    assertEquals("option '--quick' takes no value", usageError("--quick=yes"));
    assertEquals(
        "invalid value '0' for '--runs': not a positive integer", usageError("--runs", "0"));
    assertEquals(
        "invalid value '-1' for '--warmup': not a number of 0 or more", usageError("--warmup=-1"));
    assertTrue(
        usageError("--subjects", "node,rust")
            .startsWith("invalid value 'rust' for '--subjects': unknown subject 'rust'"));
  }

  @Test
  void aValuedOptionTakesTheNextArgumentWhateverItLooksLike() {
    assertEquals("--quick", BenchOptions.parse("--node", "--quick").node());
    assertEquals("@node", BenchOptions.parse("--node", "@node").node());
  }

  @Test
  void usageListsEveryOptionAndTheExitStatus() {
    for (String option :
        List.of(
            "--runs=N",
            "--seconds=S",
            "--warmup=S",
            "--workloads=WORKLOADS",
            "--subjects=SUBJECTS",
            "--out=DIR",
            "--cores=N",
            "--node=PATH",
            "--quick",
            "--help",
            "Exit status")) {
      assertTrue(BenchOptions.USAGE.contains(option), option);
    }
  }

  private static String usageError(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args))
        .getMessage();
  }

  @Test
  void medianAndRatiosAreOrientedSoAboveOneIsBetter() {
    Results r = new Results();
    for (double v : new double[] {3, 1, 2}) {
      r.add("recv", "64B", Metric.DGRAMS, Subject.JDGRAM_EPOLL, v);
    }
    r.add("recv", "64B", Metric.DGRAMS, Subject.NODE, 1);
    r.add("pingpong", "64B", Metric.P50, Subject.JDGRAM_EPOLL, 20);
    r.add("pingpong", "64B", Metric.P50, Subject.NODE, 40);
    Results.Row rate = r.rows().get(0);
    Results.Row latency = r.rows().get(1);
    assertEquals(2.0, r.median(rate, Subject.JDGRAM_EPOLL));
    assertEquals(2.0, r.ratioToNode(rate, Subject.JDGRAM_EPOLL));
    assertEquals(2.0, r.ratioToNode(latency, Subject.JDGRAM_EPOLL));
    assertEquals(2.5, Results.median(List.of(1.0, 2.0, 3.0, 4.0)));
    assertTrue(Double.isNaN(r.ratioToNode(rate, Subject.NETTY)));
    String csv = Reports.csv(r, List.of(Subject.values()));
    assertTrue(csv.contains("recv,64B,dgrams/s,jdgram-epoll,2,2,3;1;2,\n"), csv);
    String svg = SvgChart.render(r, List.of(Subject.values()), "t");
    assertTrue(svg.contains("<title>jdgram-epoll recv 64B dgrams/s: 2.00x</title>"), svg);
  }

  @Test
  void fractionOfTheCeilingIsOrientedSoThatOneIsTheCeiling() {
    Results r = new Results();
    r.add("recv", "64B", Metric.DGRAMS, Subject.JDGRAM_EPOLL, 500);
    r.add("recv", "64B", Metric.DGRAMS, Subject.NODE, 250);
    r.add("recv", "64B", Metric.DGRAMS, Subject.CEILING, 1000);
    r.add("pingpong", "64B", Metric.P50, Subject.JDGRAM_EPOLL, 40);
    r.add("pingpong", "64B", Metric.P50, Subject.CEILING, 30);
    Results.Row rate = r.rows().get(0);
    Results.Row latency = r.rows().get(1);
    assertEquals(0.5, r.fractionOfCeiling(rate, Subject.JDGRAM_EPOLL));
    assertEquals(0.75, r.fractionOfCeiling(latency, Subject.JDGRAM_EPOLL));
    assertTrue(Double.isNaN(r.fractionOfCeiling(latency, Subject.NODE)));

    List<Subject> all = List.of(Subject.values());
    String csv = Reports.csv(r, all);
    assertTrue(csv.contains("recv,64B,dgrams/s,jdgram-epoll,500,2,500,0.5000\n"), csv);
    assertTrue(csv.contains("recv,64B,dgrams/s,ceiling,1000,4,1000,\n"), csv);
    String md = Reports.markdown(r, all, "t");
    assertTrue(md.contains("| jdgram-epoll / ceiling |"), md);
    assertTrue(md.contains("| 2.00x |") && md.contains("| 50% |") && md.contains("| 75% |"), md);
    String svg = SvgChart.render(r, all, "t");
    assertTrue(svg.contains(">50% of C</text>"), svg);
    assertTrue(svg.contains("<title>ceiling recv 64B dgrams/s: 4.00x</title>"), svg);
  }

  @Test
  void withoutACeilingTheTableHasNoCeilingColumns() {
    Results r = new Results();
    r.add("recv", "64B", Metric.DGRAMS, Subject.JDGRAM_EPOLL, 500);
    r.add("recv", "64B", Metric.DGRAMS, Subject.NODE, 250);
    String md = Reports.markdown(r, List.of(Subject.JDGRAM_EPOLL, Subject.NODE), "t");
    assertTrue(!md.contains("ceiling"), md);
  }
}
