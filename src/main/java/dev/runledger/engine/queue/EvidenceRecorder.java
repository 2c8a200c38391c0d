package dev.runledger.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.executor.AttemptResult;
import dev.runledger.model.Artifact;
import dev.runledger.model.ClaimedAttempt;
import dev.runledger.store.Tx;

/**
 * Records an attempt's evidence in its outcome's transaction: the files it consumed, the files it
 * produced (only when it succeeded) with their contents marked present; returns the evidence
 * details, which are written on the attempt's row with its end.
 */
final class EvidenceRecorder {

  JsonNode record(Tx tx, ClaimedAttempt claimed, Outcome outcome) {
    Evidence evidence = outcome.evidence();
    if (evidence == null) {
      return null;
    }
    tx.artifacts().insert(evidence.inputs());
    if (outcome.result() instanceof AttemptResult.Succeeded) {
      for (Artifact a : evidence.outputs()) {
        tx.blobs().ensure(a.sha256(), a.size(), a.createdAt());
      }
      tx.artifacts().insert(evidence.outputs());
    }
    return evidence.details();
  }
}
