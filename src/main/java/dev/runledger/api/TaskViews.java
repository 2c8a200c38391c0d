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
