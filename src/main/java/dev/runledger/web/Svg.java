package dev.runledger.web;

import java.util.List;

/**
 * A server-rendered diagram (a step graph, a timeline, a lineage): boxes with labels and links, and
 * lines between them, all in presentation attributes (the page's policy allows no styles).
 */
public record Svg(
    int width, int height, String title, List<Box> boxes, List<Line> lines, List<Label> labels) {
  /** A box: where, its colours, its text, where it links (null: nowhere) and its tooltip. */
  public record Box(
      int x,
      int y,
      int w,
      int h,
      String fill,
      String stroke,
      String text,
      String textFill,
      String href,
      String tip) {}

  /** A line or curve ({@code d} of a path), with an arrow head when {@code arrow}. */
  public record Line(String d, String stroke, boolean arrow) {}

  /** A free label (an axis tick, a column heading). */
  public record Label(int x, int y, String text, String anchor) {}

  public boolean empty() {
    return boxes.isEmpty();
  }

  /** The fill and stroke of a status (the badge colours). */
  static String[] colours(String status) {
    return switch (status == null ? "" : status) {
      case "succeeded", "completed", "produced", "consumed" -> new String[] {"#e3f4e9", "#17663a"};
      case "failed" -> new String[] {"#fde7e7", "#a01b1b"};
      case "running", "queued" -> new String[] {"#e4eefb", "#124c8a"};
      case "awaiting-approval", "completed-with-failures" -> new String[] {"#fff1d6", "#7a4b00"};
      default -> new String[] {"#eceff3", "#474f5a"};
    };
  }
}
