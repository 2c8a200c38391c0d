package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What one attempt came to. */
public sealed interface AttemptResult {

  /**
   * The attempt succeeded.
   *
   * @param outputs a JSON object of outputs (empty object when none)
   * @param replayed the far side said the effect had already happened (Idempotent-Replayed: true)
   * @param files the declared output files it produced, hashed (the engine stores them)
   */
  record Succeeded(
      JsonNode outputs,
      boolean replayed,
      Integer exitCode,
      Integer httpStatus,
      List<ProducedFile> files)
      implements AttemptResult {
    public Succeeded {
      files = files == null ? List.of() : List.copyOf(files);
    }

    /** A success without output files. */
    public Succeeded(JsonNode outputs, boolean replayed, Integer exitCode, Integer httpStatus) {
      this(outputs, replayed, exitCode, httpStatus, List.of());
    }
  }

  /**
   * The attempt failed.
   *
   * @param retryAfter the far side's Retry-After, or null
   */
  record Failed(Failure failure, Integer exitCode, Integer httpStatus, Duration retryAfter)
      implements AttemptResult {}

  /** A durable timer: the attempt goes on at {@code until}; no thread waits for it. */
  record Sleep(Instant until) implements AttemptResult {}
}
