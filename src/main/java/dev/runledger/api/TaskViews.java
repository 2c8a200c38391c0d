package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.Attempt;
import dev.runledger.model.Job;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.store.Tx;
import java.util.List;

/**
 * A task as {@code GET /api/runs/{id}/tasks/{name}} shows it: what it ran with, how it ended, its
 * attempts, job and evidence. The web UI's task page reads the same view, so both show the same
 * masked values.
 */
public final class TaskViews {
  private TaskViews() {}

  /** The attempt asked for, or (null) the task's latest; an attempt is a number from 1. */
  public static int attempt(Integer asked, Task task) {
    if (asked == null) {
      return Math.max(1, task.attempts());
    }
    if (asked < 1) {
      throw new dev.runledger.model.InvalidInputException(
          "attempt", "an attempt is a number from 1");
    }
    return asked;
  }

  /** Whether the attempt's log is complete: the task or run ended, or the attempt did. */
  public static boolean attemptEnded(Tx tx, Run run, Task task, int attempt) {
    if (task.status().isTerminal() || run.status().isTerminal()) {
      return true;
    }
    return tx.attempts().list(run.id(), task.name()).stream()
        .anyMatch(a -> a.number() == attempt && a.endedAt() != null);
  }

  /** A job as the task view shows it: its id, state and progress. */
  public static ObjectNode jobSummary(Job job) {
    return Views.jobSummary(job);
  }

  public static ObjectNode view(ApiContext api, Tx tx, Run run, Task t) {
    List<Attempt> attempts = tx.attempts().list(run.id(), t.name());
    Job job = tx.jobs().forTask(run.id(), t.name()).orElse(null);
    // counted only when the attempt recorded no sizes (the count reads the whole log)
    java.util.function.Supplier<long[]> bytes =
        () -> t.attempts() == 0 ? new long[2] : tx.logs().bytes(run.id(), t.name(), t.attempts());
    JsonNode command = null;
    try {
      ActionDefinition action =
          api.definitions().action(run.project(), t.action(), t.actionRevision());
      if ("command".equals(action.kind())) {
        command = action.spec().has("run") ? action.spec().get("run") : action.spec().get("script");
      }
    } catch (RuntimeException e) {
      command = null;
    }
    return Views.task(
        t,
        attempts,
        job,
        EvidenceViews.evidence(tx, run, t, attempts, command, bytes, api.clock()),
        api.clock());
  }
}
