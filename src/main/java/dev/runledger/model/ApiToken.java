package dev.runledger.model;

import java.time.Instant;
import java.util.List;

/**
 * An API token's record (never its value).
 *
 * @param projects the projects it may see, or null for all
 * @param expiresAt when it stops being accepted, or null for never
 * @param lastUsedAt when it was last accepted (to the minute), or null if never
 * @param hint the first characters of its value, to tell tokens apart; null for tokens made before
 *     hints were kept
 */
public record ApiToken(
    String id,
    String name,
    Role role,
    List<String> projects,
    Instant createdAt,
    String createdBy,
    Instant revokedAt,
    Instant expiresAt,
    Instant lastUsedAt,
    String hint) {

  public boolean canSee(String project) {
    return projects == null || projects.contains(project);
  }
}
