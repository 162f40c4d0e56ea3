package dev.jdgram.bench.report;

import dev.jdgram.bench.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Grouped bars of each subject's ratio to Node (oriented so that above 1 is better), one group per
 * charted row (workload, variant, metric), with a y axis, a dashed line at 1 (Node), and a legend.
 * Where the ceiling was measured, its bar (grey) stands in each group beside the others, and
 * jdgram's fraction of it is written above jdgram's bar ("62% of C"). Plain SVG 1.1 text written
 * here; no library.
 */
public final class SvgChart {
  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"};
  private static final String CEILING_COLOR = "#8c8c8c";
  private static final int LEFT = 70;
  private static final int TOP = 60;
  private static final int PLOT_HEIGHT = 300;
  private static final int BAR = 16;
  private static final int GROUP_GAP = 28;
  private static final int BOTTOM = 110;

  private SvgChart() {}

  /** Renders the chart; an empty plot with a note if there is nothing to compare. */
  public static String render(Results results, List<Subject> subjects, String title) {
    List<Subject> bars = subjects.stream().filter(s -> s != Subject.NODE).toList();
    List<Results.Row> groups = new ArrayList<>();
    double max = 1.0;
    for (Results.Row row : results.rows()) {
      if (!row.metric().chart()) {
        continue;
      }
      boolean any = false;
      for (Subject s : bars) {
        double r = results.ratioToNode(row, s);
        if (!Double.isNaN(r)) {
          any = true;
          if (s != Subject.CEILING) {
            // The scale is the subjects': a ceiling far above them (a C process starts in a
            // millisecond) is drawn cut at the top with its value written there.
            max = Math.max(max, r);
          }
        }
      }
      if (any) {
        groups.add(row);
      }
    }
    double top = niceCeiling(max * 1.05);
    int groupWidth = Math.max(1, bars.size()) * BAR + GROUP_GAP;
    int width = LEFT + Math.max(1, groups.size()) * groupWidth + 40;
    width = Math.max(width, 520);
    int height = TOP + PLOT_HEIGHT + BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width,
                height,
                width,
                height))
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(svg, width / 2.0, 20, "middle", 14, escape(title));
    text(
        svg,
        width / 2.0,
        38,
        "middle",
        11,
        "Ratio to Node.js dgram (above 1 = better than Node; latency and memory inverted)"
            + (bars.contains(Subject.CEILING)
                ? "; \"% of C\": jdgram (epoll) as a fraction of the C ceiling"
                : ""));
    // Y axis with ticks.
    double step = tickStep(top);
    for (double v = 0; v <= top + 1e-9; v += step) {
      double y = y(v, top);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
              LEFT,
              y,
              width - 20,
              y));
      text(svg, LEFT - 6, y + 4, "end", 11, String.format(Locale.ROOT, "%.1f", v));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
            LEFT,
            TOP,
            LEFT,
            TOP + PLOT_HEIGHT));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"translate(20,%d) rotate(-90)\" text-anchor=\"middle\">"
                + "× Node (higher is better)</text>%n",
            TOP + PLOT_HEIGHT / 2));
    // Node's level.
    double one = y(1, top);
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\""
                + " stroke-dasharray=\"5,4\"/>%n",
            LEFT,
            one,
            width - 20,
            one));
    text(svg, width - 22, one - 4, "end", 10, "Node = 1");
    // Bars.
    for (int g = 0; g < groups.size(); g++) {
      Results.Row row = groups.get(g);
      double x0 = LEFT + GROUP_GAP / 2.0 + g * groupWidth;
      for (int b = 0; b < bars.size(); b++) {
        double r = results.ratioToNode(row, bars.get(b));
        if (Double.isNaN(r)) {
          continue;
        }
        double y = y(Math.min(r, top), top);
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                    + "<title>%s %s %s: %.2fx</title></rect>%n",
                x0 + b * BAR,
                y,
                BAR - 2,
                TOP + PLOT_HEIGHT - y,
                color(bars, b),
                escape(bars.get(b).id()),
                escape(row.workload() + " " + row.variant()),
                escape(row.metric().name()),
                r));
        if (r > top) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" font-size=\"9\">"
                      + "%s ↑</text>%n",
                  x0 + b * BAR + BAR / 2.0 + 2,
                  y + 40,
                  Format.ratio(r)));
        }
      }
      int epoll = bars.indexOf(Subject.JDGRAM_EPOLL);
      double fraction =
          epoll < 0 ? Double.NaN : results.fractionOfCeiling(row, Subject.JDGRAM_EPOLL);
      if (!Double.isNaN(fraction)) {
        double r = results.ratioToNode(row, Subject.JDGRAM_EPOLL);
        double barTop = y(Double.isNaN(r) ? 0 : Math.min(r, top), top);
        // Written upwards from the top of jdgram's bar, so it never runs into the next bar.
        svg.append(
            String.format(
                Locale.ROOT,
                "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" font-size=\"9\">"
                    + "%s of C</text>%n",
                x0 + epoll * BAR + BAR / 2.0 + 2,
                barTop - 3,
                Format.percent(fraction)));
      }
      double cx = x0 + bars.size() * BAR / 2.0;
      double ly = TOP + PLOT_HEIGHT + 14;
      text(svg, cx, ly, "middle", 10, escape(row.workload()));
      text(svg, cx, ly + 12, "middle", 10, escape(row.variant()));
      text(svg, cx, ly + 24, "middle", 10, escape(row.metric().name()));
    }
    if (groups.isEmpty()) {
      text(svg, width / 2.0, TOP + PLOT_HEIGHT / 2.0, "middle", 12, "no figures with a Node row");
    }
    // Legend.
    double lx = LEFT;
    double legendY = height - 22;
    for (int b = 0; b < bars.size(); b++) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
              lx,
              legendY - 10,
              color(bars, b)));
      text(svg, lx + 16, legendY, "start", 11, escape(bars.get(b).id()));
      lx += 30 + 7 * bars.get(b).id().length();
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** The bar colour of the b-th subject: grey for the ceiling, the palette for the others. */
  private static String color(List<Subject> bars, int b) {
    if (bars.get(b) == Subject.CEILING) {
      return CEILING_COLOR;
    }
    return COLORS[b % COLORS.length];
  }

  private static double y(double v, double top) {
    return TOP + PLOT_HEIGHT - v / top * PLOT_HEIGHT;
  }

  private static void text(
      StringBuilder svg, double x, double y, String anchor, int size, String s) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
            x,
            y,
            anchor,
            size,
            s));
  }

  private static double niceCeiling(double v) {
    double step = tickStep(v);
    return Math.ceil(v / step) * step;
  }

  private static double tickStep(double top) {
    if (top <= 2) {
      return 0.25;
    }
    if (top <= 5) {
      return 0.5;
    }
    if (top <= 10) {
      return 1;
    }
    return Math.pow(10, Math.floor(Math.log10(top))) / 2;
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
