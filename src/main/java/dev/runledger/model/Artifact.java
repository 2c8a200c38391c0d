package dev.runledger.model;

import java.time.Instant;

/**
 * A file a task consumed or produced, content-addressed by SHA-256.
 *
 * @param direction {@code consumed} or {@code produced}
 * @param sha256 {@code sha256:<hex>}
 */
public record Artifact(
    String runId,
    String taskName,
    int attempt,
    String direction,
    String name,
    String sha256,
    long size,
    String mediaType,
    Instant createdAt) {
  public static final String CONSUMED = "consumed";
  public static final String PRODUCED = "produced";

  /** The hex digest, without the {@code sha256:} prefix. */
  public String hex() {
    return sha256.startsWith("sha256:") ? sha256.substring(7) : sha256;
  }
}
