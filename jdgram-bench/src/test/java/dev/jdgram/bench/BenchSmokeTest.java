package dev.jdgram.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole benchmark with {@code --quick} (every workload, every subject, real processes on
 * loopback) and checks that the CSV has a positive figure in every cell it should: the ceiling's
 * where gcc is on the PATH, and otherwise the one line saying it was skipped. Never asserts a
 * speed: the numbers of a quick run mean nothing.
 */
class BenchSmokeTest {
  private static final List<String> JAVA = List.of("jdgram-epoll", "jdgram-nio", "netty");
  private static final List<String> ALL = List.of("jdgram-epoll", "jdgram-nio", "node", "netty");

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES) // a hang guard, not a speed check
  void quickRunOfEveryWorkloadFillsEveryCell(@TempDir Path out) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    int cores = 2;
    int code;
    try (PrintStream ps = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
      code =
          Bench.run(
              ps,
              ps,
              "--quick",
              "--runs",
              "1",
              "--cores",
              Integer.toString(cores),
              "--out",
              out.toString());
    }
    String log = progress.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, "bench failed:\n" + log);

    Map<String, Double> cells = new HashMap<>();
    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(dev.jdgram.bench.report.Reports.CSV_HEADER, lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      cells.put(f[0] + "|" + f[1] + "|" + f[2] + "|" + f[3], Double.parseDouble(f[4]));
    }

    boolean gcc = Ceiling.find("gcc", System.getenv("PATH")) != null;
    if (!gcc) {
      assertTrue(log.contains("ceiling: skipped, no gcc\n"), log);
    }
    List<String> withCeiling = new ArrayList<>(ALL);
    if (gcc) {
      withCeiling.add("ceiling");
    }
    List<String> expected = new ArrayList<>();
    for (String size : List.of("64B", "1KiB", "8KiB")) {
      expectAll(expected, "recv", size, withCeiling, "dgrams/s", "MB/s");
    }
    for (String size : List.of("64B", "1KiB")) {
      expectAll(expected, "send", size, withCeiling, "dgrams/s", "sink dgrams/s");
    }
    expectAll(expected, "sendmany", "64B", withCeiling, "dgrams/s", "sink dgrams/s");
    expectAll(expected, "pingpong", "64B", withCeiling, "p50 us", "p99 us", "p99.9 us");
    expectAll(expected, "memory", "64B", ALL, "RSS MiB");
    expectAll(
        expected,
        "memory",
        "64B",
        JAVA,
        "alloc B/dgram",
        "payload byte[] B",
        "JMH gc.alloc.rate.norm B/dgram");
    expectAll(expected, "scale", "500 sockets", ALL, "dgrams/s", "RSS MiB");
    for (int n = 1; n <= cores; n++) {
      expectAll(expected, "multicore", "N=" + n, JAVA, "dgrams/s", "scaling vs N=1");
    }
    List<String> fresh = new ArrayList<>(List.of("jdgram-epoll", "jdgram-nio", "node"));
    if (gcc) {
      fresh.add("ceiling");
    }
    expectAll(
        expected,
        "coldstart",
        "first socket",
        fresh,
        "first 'listening' ms",
        "first send ms",
        "wall ms");
    // This module's classes are a directory, which class-data sharing cannot archive.
    assertTrue(log.contains("the AppCDS variant skipped"), log);
    // The CLI is not on this module's class path: its one-shot is skipped, and said so.
    assertTrue(log.contains("send one-shot of jdgram skipped"), log);
    expectAll(
        expected,
        "coldstart",
        "send one-shot",
        gcc ? List.of("node", "ceiling") : List.of("node"),
        "wall ms");
    if (gcc) {
      // Peak RSS comes from the ceiling program's run mode.
      expectAll(expected, "coldstart", "send one-shot", List.of("node"), "peak RSS MiB");
      expectAll(expected, "coldstart", "first socket", fresh, "peak RSS MiB");
    }

    List<String> missing = new ArrayList<>();
    for (String cell : expected) {
      Double v = cells.get(cell);
      if (v == null || !(v > 0)) {
        missing.add(cell + " = " + v);
      }
    }
    assertTrue(missing.isEmpty(), "cells without a positive figure: " + missing + "\n" + log);

    String svg = Files.readString(out.resolve("chart.svg"));
    assertTrue(svg.startsWith("<svg") && svg.contains("jdgram-epoll") && svg.contains("</svg>"));
    String md = Files.readString(out.resolve("results.md"));
    assertTrue(md.contains("| recv | 64B | dgrams/s |"), md);
    if (gcc) {
      assertTrue(md.contains("| jdgram-epoll / ceiling |"), md);
      assertTrue(svg.contains("% of C</text>"), svg);
    }
  }

  private static void expectAll(
      List<String> out, String workload, String variant, List<String> subjects, String... metrics) {
    for (String metric : metrics) {
      for (String subject : subjects) {
        out.add(workload + "|" + variant + "|" + metric + "|" + subject);
      }
    }
  }
}
