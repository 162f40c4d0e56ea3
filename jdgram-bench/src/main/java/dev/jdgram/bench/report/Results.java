package dev.jdgram.bench.report;

import dev.jdgram.bench.Subject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every number of a benchmark run: for each row (workload, variant, metric) and subject, the values
 * of each run; the figure reported is their median. Rows keep the order in which they first appear.
 * Thread-safe enough for one writer (the orchestrator's thread).
 */
public final class Results {
  /**
   * One row of the table.
   *
   * @param workload e.g. {@code recv}
   * @param variant e.g. {@code 64B}
   * @param metric what the numbers mean
   */
  public record Row(String workload, String variant, Metric metric) {}

  private final Map<Row, Map<Subject, List<Double>>> values = new LinkedHashMap<>();

  /** Records one run's value. */
  public void add(String workload, String variant, Metric metric, Subject subject, double value) {
    values
        .computeIfAbsent(new Row(workload, variant, metric), r -> new LinkedHashMap<>())
        .computeIfAbsent(subject, s -> new ArrayList<>())
        .add(value);
  }

  /** Sets a derived figure (no runs of its own), replacing any value. */
  public void put(String workload, String variant, Metric metric, Subject subject, double value) {
    Map<Subject, List<Double>> m =
        values.computeIfAbsent(new Row(workload, variant, metric), r -> new LinkedHashMap<>());
    m.put(subject, new ArrayList<>(List.of(value)));
  }

  /** The rows, in order. */
  public List<Row> rows() {
    return new ArrayList<>(values.keySet());
  }

  /** The runs' values of one cell, empty if none. */
  public List<Double> runs(Row row, Subject subject) {
    return values.getOrDefault(row, Map.of()).getOrDefault(subject, List.of());
  }

  /** The median of one cell, or NaN if it has no value. */
  public double median(Row row, Subject subject) {
    return median(runs(row, subject));
  }

  /** The median of one cell by names, or NaN. */
  public double median(String workload, String variant, Metric metric, Subject subject) {
    return median(new Row(workload, variant, metric), subject);
  }

  /**
   * The cell's median relative to Node's in the same row, oriented so that above 1 is better than
   * Node: subject/Node for rates, Node/subject for latency and memory; NaN without both figures.
   */
  public double ratioToNode(Row row, Subject subject) {
    return ratio(row, subject, Subject.NODE);
  }

  /**
   * The cell's median as a fraction of the ceiling's in the same row, oriented so that 1 is the
   * ceiling and less is short of it: subject/ceiling for rates, ceiling/subject for latency; NaN
   * without both figures.
   */
  public double fractionOfCeiling(Row row, Subject subject) {
    return ratio(row, subject, Subject.CEILING);
  }

  /** The subject's median relative to the reference's, oriented so that above 1 is better. */
  private double ratio(Row row, Subject subject, Subject reference) {
    double s = median(row, subject);
    double r = median(row, reference);
    if (Double.isNaN(s) || Double.isNaN(r) || s <= 0 || r <= 0) {
      return Double.NaN;
    }
    return row.metric().higherIsBetter() ? s / r : r / s;
  }

  /** The median of a list, NaN for none (the mean of the middle two for an even count). */
  public static double median(List<Double> list) {
    double[] v = list.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }
}
