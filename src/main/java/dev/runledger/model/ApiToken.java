package dev.runledger.model;

import java.time.Instant;
import java.util.List;

/**
 * An API token's record (never its value).
 *
 * @param projects the projects it may see, or null for all
 */
public record ApiToken(
    String id,
    String name,
    Role role,
    List<String> projects,
    Instant createdAt,
    String createdBy,
    Instant revokedAt) {

  public boolean canSee(String project) {
    return projects == null || projects.contains(project);
  }
}
