package dev.runledger.engine;

import dev.runledger.executor.AttemptResult;
import dev.runledger.model.Artifact;
import dev.runledger.store.Tx;

/**
 * Records an attempt's evidence in its outcome's transaction: the files it consumed, the files it
 * produced (only when it succeeded) with their contents marked present, and the evidence details.
 */
public final class EvidenceRecorder {

  public void record(Tx tx, ClaimedAttempt claimed, Outcome outcome) {
    Evidence evidence = outcome.evidence();
    if (evidence == null) {
      return;
    }
    tx.artifacts().insert(evidence.inputs());
    if (outcome.result() instanceof AttemptResult.Succeeded) {
      for (Artifact a : evidence.outputs()) {
        tx.blobs().ensure(a.sha256(), a.size(), a.createdAt());
      }
      tx.artifacts().insert(evidence.outputs());
    }
    tx.evidence()
        .put(claimed.run().id(), claimed.task().name(), claimed.attempt(), evidence.details());
  }
}
