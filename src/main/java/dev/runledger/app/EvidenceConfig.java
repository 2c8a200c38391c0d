package dev.runledger.app;

import dev.runledger.engine.evidence.ArtifactService;
import java.time.Duration;

/**
 * How long evidence bytes are kept and how large artifacts may be.
 *
 * @param retainLogs how long after a run ended its logs are kept; null keeps them for ever
 * @param retainArtifacts how long after the last run referring to them ended artifact bytes are
 *     kept; null keeps them for ever
 */
public record EvidenceConfig(
    Duration retainLogs, Duration retainArtifacts, long maxFileBytes, long maxRunBytes) {

  /** Everything kept; the default size limits. */
  public static final EvidenceConfig DEFAULTS =
      new EvidenceConfig(
          null,
          null,
          ArtifactService.DEFAULT_MAX_FILE_BYTES,
          ArtifactService.DEFAULT_MAX_RUN_BYTES);

  public EvidenceConfig withRetention(Duration logs, Duration artifacts) {
    return new EvidenceConfig(logs, artifacts, maxFileBytes, maxRunBytes);
  }
}
