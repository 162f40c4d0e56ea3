package dev.jdgram.bench.report;

import dev.jdgram.bench.Subject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Writes the results as CSV (one line per cell) and as a markdown table (one line per row). */
public final class Reports {
  /** The CSV header. */
  public static final String CSV_HEADER =
      "workload,variant,metric,subject,median,ratio_to_node,runs,fraction_of_ceiling";

  private Reports() {}

  /**
   * The CSV: every cell with a value, its median, its ratio to Node (oriented so above 1 is better;
   * empty without a Node figure), each run's value separated by {@code ;}, and its fraction of the
   * ceiling (1 is the ceiling; empty without a ceiling figure).
   */
  public static String csv(Results results, List<Subject> subjects) {
    StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
    for (Results.Row row : results.rows()) {
      for (Subject s : subjects) {
        List<Double> runs = results.runs(row, s);
        if (runs.isEmpty()) {
          continue;
        }
        sb.append(row.workload())
            .append(',')
            .append(row.variant())
            .append(',')
            .append(row.metric().name())
            .append(',')
            .append(s.id())
            .append(',')
            .append(Format.plain(results.median(row, s)))
            .append(',')
            .append(s == Subject.NODE ? "" : Format.plain(results.ratioToNode(row, s)))
            .append(',')
            .append(runs.stream().map(Format::plain).collect(Collectors.joining(";")))
            .append(',')
            .append(s == Subject.CEILING ? "" : Format.plain(results.fractionOfCeiling(row, s)))
            .append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * The markdown table: medians per subject, each subject's ratio to Node, then each subject's
   * fraction of the ceiling (when the ceiling was measured).
   */
  public static String markdown(Results results, List<Subject> subjects, String title) {
    List<Subject> others = subjects.stream().filter(s -> s != Subject.NODE).toList();
    boolean node = subjects.contains(Subject.NODE);
    List<Subject> belowCeiling =
        subjects.contains(Subject.CEILING)
            ? subjects.stream().filter(s -> s != Subject.CEILING).toList()
            : List.of();
    StringBuilder sb = new StringBuilder();
    sb.append(title).append("\n\n| workload | variant | metric |");
    for (Subject s : subjects) {
      sb.append(' ').append(s.id()).append(" |");
    }
    if (node) {
      for (Subject s : others) {
        sb.append(' ').append(s.id()).append(" vs node |");
      }
    }
    for (Subject s : belowCeiling) {
      sb.append(' ').append(s.id()).append(" / ceiling |");
    }
    sb.append("\n| --- | --- | --- |");
    int columns = subjects.size() + (node ? others.size() : 0) + belowCeiling.size();
    sb.append(" ---: |".repeat(columns)).append('\n');
    for (Results.Row row : results.rows()) {
      sb.append("| ")
          .append(row.workload())
          .append(" | ")
          .append(row.variant())
          .append(" | ")
          .append(row.metric().name())
          .append(" |");
      for (Subject s : subjects) {
        sb.append(' ').append(Format.human(results.median(row, s))).append(" |");
      }
      if (node) {
        for (Subject s : others) {
          sb.append(' ').append(Format.ratio(results.ratioToNode(row, s))).append(" |");
        }
      }
      for (Subject s : belowCeiling) {
        sb.append(' ').append(Format.percent(results.fractionOfCeiling(row, s))).append(" |");
      }
      sb.append('\n');
    }
    sb.append(
        "\n\"vs node\" is oriented so that above 1.00x is better than Node: subject/Node for rates,"
            + " Node/subject for latency, memory and drops.");
    if (!belowCeiling.isEmpty()) {
      sb.append(
          " \"/ ceiling\" is the fraction of what plain C reaches on the same machine (100% is"
              + " the ceiling): subject/ceiling for rates, ceiling/subject for latency and times.");
    }
    sb.append('\n');
    return sb.toString();
  }

  /** Writes results.csv, results.md and chart.svg into {@code dir}. */
  public static void write(Path dir, Results results, List<Subject> subjects, String title)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.csv"), csv(results, subjects), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("results.md"), markdown(results, subjects, title), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("chart.svg"),
        SvgChart.render(results, subjects, title),
        StandardCharsets.UTF_8);
  }
}
