package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.DefinitionRevision;

/**
 * What a new run is made from, for {@link RunService#create}: the definition revision it runs, its
 * parameters, labels and trigger, who starts it ({@code principal}, its {@code triggeredBy}) and
 * who is at the root of the chain that leads to it ({@code initiatedBy}: the principal itself
 * unless it is carried from an earlier run); for a child run the parent run and task; the
 * idempotency key it was triggered with; the run it reruns.
 */
public record NewRun(
    DefinitionRevision definition,
    JsonNode parameters,
    JsonNode labels,
    ObjectNode trigger,
    String principal,
    String initiatedBy,
    String parentRun,
    String parentTask,
    String idempotencyKey,
    String rerunOf) {

  /** A run the principal starts itself, at the root of its own chain. */
  public static NewRun of(
      DefinitionRevision definition,
      JsonNode parameters,
      JsonNode labels,
      ObjectNode trigger,
      String principal) {
    return new NewRun(
        definition, parameters, labels, trigger, principal, principal, null, null, null, null);
  }

  /** The same run, carrying the origin of an earlier run's chain. */
  public NewRun withInitiatedBy(String origin) {
    return new NewRun(
        definition,
        parameters,
        labels,
        trigger,
        principal,
        origin,
        parentRun,
        parentTask,
        idempotencyKey,
        rerunOf);
  }

  /** The same run, as the child a workflow step of {@code run} starts for its task. */
  public NewRun withParent(String run, String task) {
    return new NewRun(
        definition,
        parameters,
        labels,
        trigger,
        principal,
        initiatedBy,
        run,
        task,
        idempotencyKey,
        rerunOf);
  }

  /** The same run, started under an idempotency key. */
  public NewRun withIdempotencyKey(String key) {
    return new NewRun(
        definition,
        parameters,
        labels,
        trigger,
        principal,
        initiatedBy,
        parentRun,
        parentTask,
        key,
        rerunOf);
  }

  /** The same run, as a rerun of {@code runId}. */
  public NewRun withRerunOf(String runId) {
    return new NewRun(
        definition,
        parameters,
        labels,
        trigger,
        principal,
        initiatedBy,
        parentRun,
        parentTask,
        idempotencyKey,
        runId);
  }
}
