package dev.runledger.web;

import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;
import java.time.Instant;
import java.util.Map;

/** One run in a list: what the Runs page shows of it. */
public record RunRow(
    String id,
    String href,
    String status,
    String kind,
    String definition,
    String definitionHref,
    String requestedBy,
    String trigger,
    String started,
    String startedAt,
    String startedIso,
    String duration,
    int done,
    int total,
    int failures,
    String review,
    String parentHref,
    boolean live) {

  static RunRow of(Run r, Map<TaskStatus, Integer> counts, Instant now) {
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    int done = 0;
    for (Map.Entry<TaskStatus, Integer> e : counts.entrySet()) {
      if (e.getKey().isTerminal()) {
        done += e.getValue();
      }
    }
    Instant started = r.startedAt() != null ? r.startedAt() : r.createdAt();
    return new RunRow(
        r.id(),
        Links.run(r.id()),
        r.status().wire(),
        r.definitionKind(),
        r.definitionName(),
        "/" + r.definitionKind() + "s/" + Links.segment(r.definitionName()),
        r.initiatedBy() != null && !r.initiatedBy().equals(r.triggeredBy())
            ? r.triggeredBy() + " (for " + r.initiatedBy() + ")"
            : r.triggeredBy(),
        r.triggerType(),
        Formats.relative(started, now),
        Formats.absolute(started),
        Formats.iso(started),
        r.status().isTerminal() ? Formats.duration(r.startedAt(), r.completedAt()) : "-",
        done,
        total,
        counts.getOrDefault(TaskStatus.FAILED, 0),
        review(r.reviewStatus()),
        r.parentRun() == null ? null : Links.run(r.parentRun()),
        !r.status().isTerminal());
  }

  /** The review state as a person reads it ({@code -} when none was asked for). */
  static String review(String status) {
    if (status == null || status.equals("none")) {
      return "-";
    }
    if (status.equals(dev.runledger.engine.run.StateChanges.REVIEW_WAITS_FOR_END)) {
      return "after end";
    }
    return status;
  }

  public boolean pending() {
    return status.equals(RunStatus.PENDING.wire());
  }
}
