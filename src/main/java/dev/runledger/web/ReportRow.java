package dev.runledger.web;

import dev.runledger.api.ReportGroup;
import java.util.List;

/**
 * One workflow's (or one-off action's) line of a report, with its counts in the order of the
 * columns shown; the totals line has no name.
 *
 * @param runs runs by status, in the order of {@link ReportColumns#runStatuses()}
 * @param tasks tasks by outcome, in the order of {@link ReportColumns#taskOutcomes()}
 */
public record ReportRow(
    String name,
    String kind,
    String href,
    long runTotal,
    List<Long> runs,
    long taskTotal,
    List<Long> tasks,
    long actionsInvoked,
    long subjectsMatched,
    long approved,
    long rejected,
    long retries,
    long recovered,
    long cancellations) {

  static ReportRow of(ReportGroup g, ReportColumns columns, String projectQuery) {
    String name = g.workflow() != null ? g.workflow() : g.action();
    String kind = g.workflow() != null ? "workflow" : g.action() != null ? "action" : null;
    return new ReportRow(
        name,
        kind,
        kind == null ? null : "/" + kind + "s/" + Links.segment(name) + projectQuery,
        g.runTotal(),
        columns.runStatuses().stream().map(s -> g.runs().getOrDefault(s, 0L)).toList(),
        g.taskTotal(),
        columns.taskOutcomes().stream().map(s -> g.tasks().getOrDefault(s, 0L)).toList(),
        g.actionsInvoked(),
        g.subjectsMatched(),
        g.approved(),
        g.rejected(),
        g.retries(),
        g.recovered(),
        g.cancellations());
  }
}
