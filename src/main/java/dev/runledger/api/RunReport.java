package dev.runledger.api;

import dev.runledger.model.InvalidInputException;
import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.ReportFilter;
import dev.runledger.store.ReportRepository.Count;
import dev.runledger.store.ReportRepository.Decision;
import dev.runledger.store.ReportRepository.RunSums;
import dev.runledger.store.ReportRepository.StepCount;
import dev.runledger.store.Store;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run report over a period, counted in one read: per workflow (or action, for one-off runs) runs
 * by status, tasks by outcome (also per step), actions invoked, subjects matched, approvals
 * decided, retries, recoveries and cancellations, with totals and the decisions themselves. The
 * API's {@code GET /api/reports/runs} and the web UI's reports answer from it.
 */
public final class RunReport {
  private final ReportFilter filter;
  private final List<ReportGroup> groups;
  private final ReportGroup totals;
  private final List<Decision> decisions;

  private RunReport(ReportFilter filter, List<ReportGroup> groups, List<Decision> decisions) {
    this.filter = filter;
    this.groups = List.copyOf(groups);
    this.decisions = List.copyOf(decisions);
    this.totals = new ReportGroup(null, null);
    this.groups.forEach(totals::add);
  }

  /** Counts what {@code filter} selects. */
  public static RunReport of(Store store, ReportFilter filter) {
    Map<String, ReportGroup> groups = new TreeMap<>();
    List<Decision> decisions =
        store.read(
            tx -> {
              var reports = tx.reports();
              for (Count c : reports.runsByStatus(filter)) {
                group(groups, c.workflow(), c.action()).runs.merge(c.key(), c.n(), Long::sum);
              }
              for (Count c : reports.tasksByStatus(filter)) {
                group(groups, c.workflow(), c.action()).tasks.merge(c.key(), c.n(), Long::sum);
              }
              for (Count c : reports.approvalsDecided(filter)) {
                group(groups, c.workflow(), c.action()).approvals.merge(c.key(), c.n(), Long::sum);
              }
              for (Count c : reports.retries(filter)) {
                group(groups, c.workflow(), c.action()).retries += c.n();
              }
              for (RunSums s : reports.runSums(filter)) {
                ReportGroup g = group(groups, s.workflow(), s.action());
                g.actionsInvoked += s.actionsInvoked();
                g.subjectsMatched += s.subjectsMatched();
                g.cancellations += s.cancelled();
              }
              for (StepCount c : reports.tasksByStep(filter)) {
                ReportGroup.Step step = group(groups, c.workflow(), c.action()).step(c.step());
                step.tasks.merge(c.key(), c.n(), Long::sum);
                step.subjectTasks += c.subjectTasks();
              }
              for (StepCount c : reports.retriesByStep(filter)) {
                ReportGroup g = group(groups, c.workflow(), c.action());
                if (c.key().equals("recovered")) {
                  g.step(c.step()).recovered += c.n();
                  g.recovered += c.n();
                } else {
                  g.step(c.step()).retries += c.n();
                }
              }
              return reports.decisions(filter);
            });
    return new RunReport(filter, new ArrayList<>(groups.values()), decisions);
  }

  private static ReportGroup group(
      Map<String, ReportGroup> groups, String workflow, String action) {
    String key = workflow != null ? "workflow:" + workflow : "action:" + action;
    return groups.computeIfAbsent(key, k -> new ReportGroup(workflow, action));
  }

  public ReportFilter filter() {
    return filter;
  }

  /** One group per action (its one-off runs) and per workflow: actions first, each by name. */
  public List<ReportGroup> groups() {
    return groups;
  }

  public ReportGroup totals() {
    return totals;
  }

  /** The approvals decided by a person on the period's runs. */
  public List<Decision> decisions() {
    return decisions;
  }

  /** The report as CSV: one row per group and a {@code TOTAL} row. */
  public String csv() {
    List<String> header = new ArrayList<>(List.of("workflow", "action", "runs"));
    for (RunStatus s : RunStatus.values()) {
      header.add("runs:" + s.wire());
    }
    header.add("tasks");
    for (TaskStatus s : TaskStatus.values()) {
      header.add("tasks:" + s.wire());
    }
    header.addAll(
        List.of(
            "actionsInvoked",
            "subjectsMatched",
            "approvalsApproved",
            "approvalsRejected",
            "retries",
            "cancellations",
            "recovered"));
    StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
    for (ReportGroup g : groups) {
      row(out, g.workflow == null ? "" : g.workflow, g.action == null ? "" : g.action, g);
    }
    row(out, "TOTAL", "", totals);
    return out.toString();
  }

  private static void row(StringBuilder out, String workflow, String action, ReportGroup g) {
    List<String> cells =
        new ArrayList<>(List.of(workflow, action, String.valueOf(g.total(g.runs))));
    g.runs.values().forEach(v -> cells.add(String.valueOf(v)));
    cells.add(String.valueOf(g.total(g.tasks)));
    g.tasks.values().forEach(v -> cells.add(String.valueOf(v)));
    cells.add(String.valueOf(g.actionsInvoked));
    cells.add(String.valueOf(g.subjectsMatched));
    cells.add(String.valueOf(g.approvals.get("approved")));
    cells.add(String.valueOf(g.approvals.get("rejected")));
    cells.add(String.valueOf(g.retries));
    cells.add(String.valueOf(g.cancellations));
    cells.add(String.valueOf(g.recovered));
    out.append(String.join(",", cells)).append('\n');
  }

  /**
   * A bound of the period: an RFC 3339 timestamp, or a date; a date {@code to} includes that whole
   * day (the period {@code 2026-01-01..2026-03-31} is the first quarter).
   */
  public static Instant bound(String field, String text, boolean end) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(field, "required: a date (2026-01-01) or RFC 3339 timestamp");
    }
    try {
      LocalDate date = LocalDate.parse(text);
      Times.inRange(field, text, date.atStartOfDay().toInstant(ZoneOffset.UTC));
      return (end ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return Times.parse(field, text);
    }
  }
}
