package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Everything an executor may know about the attempt it runs. */
public interface AttemptContext {
  String project();

  String runId();

  String taskName();

  /** 1 for the first attempt. */
  int attempt();

  String idempotencyKey();

  /** The action's name. */
  String action();

  /**
   * The action's kind-specific section as written in the definition, templates not yet rendered:
   * the {@code command} object, the {@code http} object, or the {@code builtin} object.
   */
  JsonNode spec();

  /** Renders {@code ${{ }}} templates over inputs, run, secrets and the given extra variables. */
  Templates templates();

  /** The attempt's time limit. */
  Duration timeout();

  /** A fresh working directory of this attempt. */
  Path workDir();

  /** Where stdout and stderr lines and progress go. */
  AttemptLog log();

  /** Raised when an authorized principal aborts the run. */
  AbortSignal abortSignal();

  Clock clock();

  /** When a durable timer set by an earlier {@link AttemptResult.Sleep} of this attempt is due. */
  Instant timerDue();

  /** Extra environment for command actions ({@code RUNLEDGER_*} variables are added by it). */
  default Map<String, String> environment() {
    return Map.of();
  }

  /** The largest output file an attempt may produce, in bytes. */
  default long maxFileBytes() {
    return Long.MAX_VALUE;
  }

  /**
   * Records a piece of the attempt's evidence (the rendered command, the executable and its digest,
   * runtime versions); values must already be masked. Ignored by default.
   */
  default void evidence(String key, JsonNode value) {}
}
