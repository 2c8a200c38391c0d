package dev.runledger.web;

import dev.runledger.api.ReportGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Which statuses a report shows as columns: the ones that happened in the period (by the totals),
 * and always {@code completed} and {@code failed} runs, {@code succeeded} and {@code failed} tasks,
 * so that a quiet period still reads as one.
 */
public record ReportColumns(List<String> runStatuses, List<String> taskOutcomes) {
  private static final List<String> RUNS =
      List.of("completed", "completed-with-failures", "failed", "cancelled", "running", "pending");
  private static final List<String> TASKS =
      List.of(
          "succeeded",
          "failed",
          "skipped",
          "idempotent-replay",
          "awaiting-approval",
          "running",
          "queued",
          "pending");

  static ReportColumns of(ReportGroup totals) {
    return new ReportColumns(
        shown(RUNS, totals.runs(), "completed", "failed"),
        shown(TASKS, totals.tasks(), "succeeded", "failed"));
  }

  private static List<String> shown(
      List<String> order, java.util.Map<String, Long> counts, String... always) {
    List<String> keep = List.of(always);
    List<String> out = new ArrayList<>();
    for (String s : order) {
      if (keep.contains(s) || counts.getOrDefault(s, 0L) > 0) {
        out.add(s);
      }
    }
    return out;
  }
}
