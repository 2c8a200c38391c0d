package dev.runledger.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Artifact;
import java.util.List;

/**
 * What an attempt leaves as evidence besides its outcome: the command and environment it ran in
 * ({@code details}), the files it consumed and the files it produced (stored, not yet recorded).
 */
record Evidence(JsonNode details, List<Artifact> inputs, List<Artifact> outputs) {
  public Evidence {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
