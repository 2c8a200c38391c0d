package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Failure;
import java.time.Duration;
import java.time.Instant;

/** What one attempt came to. */
public sealed interface AttemptResult {

  /**
   * The attempt succeeded.
   *
   * @param outputs a JSON object of outputs (empty object when none)
   * @param replayed the far side said the effect had already happened (Idempotent-Replayed: true)
   */
  record Succeeded(JsonNode outputs, boolean replayed, Integer exitCode, Integer httpStatus)
      implements AttemptResult {}

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
