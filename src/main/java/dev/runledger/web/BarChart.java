package dev.runledger.web;

import java.util.ArrayList;
import java.util.List;

/**
 * A horizontal stacked bar chart drawn by the server as SVG (no script): one bar per row, one
 * segment per status, scaled to the largest total. Colours come from the stylesheet ({@code seg-}
 * classes), and {@link #description} says in words what the bars show for a screen reader.
 */
public record BarChart(
    int width, int height, List<Bar> bars, List<String> keys, String description) {
  public static final int LABEL = 190;
  public static final int AREA = 440;
  public static final int ROW = 30;
  public static final int BAR = 18;
  public static final int TOP = 8;

  /** One row: its label (shortened to fit, whole in {@code title}) and its segments. */
  public record Bar(
      String label,
      String title,
      int y,
      int textY,
      long total,
      int totalX,
      List<Segment> segments) {}

  /** One status's part of a bar. */
  public record Segment(String key, long n, int x, int width) {}

  /**
   * A chart of {@code counts} (per row, aligned to {@code keys}) under {@code labels}; {@code what}
   * names the unit ({@code runs}, {@code tasks}).
   */
  static BarChart of(String what, List<String> labels, List<List<Long>> counts, List<String> keys) {
    long max = 1;
    for (List<Long> row : counts) {
      max = Math.max(max, row.stream().mapToLong(Long::longValue).sum());
    }
    List<Bar> bars = new ArrayList<>();
    StringBuilder words = new StringBuilder(capitalized(what) + " per definition: ");
    for (int i = 0; i < labels.size(); i++) {
      List<Long> row = counts.get(i);
      int y = TOP + i * ROW;
      double x = LABEL;
      long total = 0;
      List<Segment> segments = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (int k = 0; k < keys.size(); k++) {
        long n = row.get(k);
        if (n == 0) {
          continue;
        }
        double w = (double) n / max * AREA;
        segments.add(
            new Segment(keys.get(k), n, (int) Math.round(x), Math.max(1, (int) Math.round(w))));
        x += w;
        total += n;
        parts.add(n + " " + keys.get(k));
      }
      String label = labels.get(i);
      bars.add(
          new Bar(
              label.length() > 26 ? label.substring(0, 25) + "…" : label,
              label,
              y,
              y + BAR - 4,
              total,
              (int) Math.round(x) + 6,
              segments));
      words
          .append(i == 0 ? "" : "; ")
          .append(label)
          .append(" ")
          .append(total)
          .append(" ")
          .append(what);
      if (!parts.isEmpty()) {
        words.append(" (").append(String.join(", ", parts)).append(")");
      }
    }
    return new BarChart(
        LABEL + AREA + 60,
        TOP * 2 + Math.max(1, labels.size()) * ROW,
        bars,
        keys,
        words.toString());
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
