package dev.runledger.web;

import java.util.List;

/**
 * The brief of a period, made to be printed or saved as PDF and taken to an audit committee as it
 * is: what ran (per definition), what it did (actions invoked, outcomes), what people decided
 * (approvals), what failed and why, and the audit chain's head hash with the result of verifying
 * it.
 *
 * @param failuresShown how many failures are listed (at most {@link ReportsPages#FAILURES})
 */
public record BriefPage(
    Chrome chrome,
    ReportPeriod period,
    String project,
    String preparedBy,
    String preparedAt,
    ReportColumns columns,
    List<ReportRow> rows,
    ReportRow totals,
    List<Decision> decisions,
    List<FailureRow> failures,
    long failuresTotal,
    ChainState chain,
    String reportHref) {

  /** An approval decided in the period. */
  public record Decision(
      String decidedAt,
      String definition,
      String runId,
      String runHref,
      String taskName,
      String taskHref,
      String decision,
      String decidedBy,
      String comment) {}

  /** A failed task of the period with its cause. */
  public record FailureRow(
      String definition,
      String runId,
      String runHref,
      String taskName,
      String taskHref,
      String kind,
      String cause,
      String at) {}

  public long approved() {
    return decisions.stream().filter(d -> d.decision().equals("approved")).count();
  }

  public long rejected() {
    return decisions.size() - approved();
  }
}
