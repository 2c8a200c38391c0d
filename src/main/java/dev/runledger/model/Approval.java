package dev.runledger.model;

import java.time.Instant;

/**
 * A human decision that gates a task before it runs.
 *
 * @param state {@code pending}, {@code approved}, {@code rejected}, {@code expired} or {@code
 *     cancelled} (the run was cancelled first)
 * @param role the role a principal needs to decide it
 * @param expiresAt null when it does not expire
 */
public record Approval(
    String id,
    String project,
    String runId,
    String taskName,
    String role,
    String state,
    boolean allowSelfApproval,
    Instant requestedAt,
    Instant expiresAt,
    String decidedBy,
    Instant decidedAt,
    String comment) {

  public boolean isPending() {
    return state.equals("pending");
  }
}
