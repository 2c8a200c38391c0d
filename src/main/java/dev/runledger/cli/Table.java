package dev.runledger.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header row and left-aligned columns two spaces apart; with colours, the
 * words of a STATUS or STATE column in their colour.
 */
final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(String... cells) {
    List<String> row = new ArrayList<>();
    for (String cell : Arrays.copyOf(cells, header.size())) {
      row.add(cell == null ? "-" : cell.replace('\n', ' '));
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    print(out, TerminalColours.NONE);
  }

  void print(PrintWriter out, TerminalColours colours) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    printRow(out, header, widths, TerminalColours.NONE, -1);
    int status = Math.max(header.indexOf("STATUS"), header.indexOf("STATE"));
    for (List<String> row : rows) {
      printRow(out, row, widths, colours, status);
    }
    out.flush();
  }

  private static void printRow(
      PrintWriter out, List<String> cells, int[] widths, TerminalColours colours, int status) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      sb.append(i == status ? colours.status(cell) : cell);
      if (i < cells.size() - 1) {
        sb.append(" ".repeat(widths[i] - cell.length() + 2));
      }
    }
    out.println(sb.toString().stripTrailing());
  }
}
