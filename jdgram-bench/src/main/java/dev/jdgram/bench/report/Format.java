package dev.jdgram.bench.report;

import java.util.Locale;

/** Number formatting shared by the table, the CSV and the chart. */
final class Format {
  private Format() {}

  /** A figure for people: three significant digits, thousands grouped, "—" for none. */
  static String human(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** A ratio, e.g. {@code 1.23x}, "—" for none. */
  static String ratio(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.2fx", v);
  }

  /** A fraction as a percentage, e.g. {@code 68%}, {@code 2.5%}, {@code 0.01%}; "—" for none. */
  static String percent(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    double p = v * 100;
    String format = p >= 10 ? "%.0f%%" : p >= 1 ? "%.1f%%" : "%.2f%%";
    return String.format(Locale.ROOT, format, p);
  }

  /** A figure for machines: plain decimal, empty for none. */
  static String plain(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
