package dev.runledger.web;

import java.util.List;

/**
 * The Runs page: the status chips, the filters as the URL has them, one page of runs and the link
 * to the next.
 *
 * @param liveHref the stream that keeps the rows current, or null when none is running
 */
public record RunsPage(
    Chrome chrome,
    List<Chip> chips,
    RunsFilter filter,
    List<RunRow> rows,
    String nextHref,
    String refreshHref,
    String liveHref,
    boolean filtered) {

  /** A status chip: its text, where it leads and whether it is the one in view. */
  public record Chip(String label, String href, boolean active) {}
}
