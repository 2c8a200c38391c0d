package dev.runledger.web;

import java.util.List;

/**
 * {@code /approvals}: what waits for the signed-in person's decision, what waits for someone else,
 * and the approvals decided, newest first, a page at a time.
 *
 * @param inbox pending approvals this person may decide
 * @param others pending approvals this person may not decide (each says why)
 * @param nextHref the next page of decided approvals, or null
 */
public record ApprovalsPage(
    Chrome chrome,
    List<Card> inbox,
    List<Card> others,
    List<Decided> decided,
    String nextHref,
    boolean paged) {

  /**
   * A pending approval with what a person needs to decide it.
   *
   * @param instructions the gated action's description: what approving lets happen
   * @param expires when it expires, relative ({@code in 3 d}), or null when it does not
   * @param blockedBy why this person may not decide it, or null when they may
   */
  public record Card(
      String id,
      String runId,
      String runHref,
      String runStatus,
      String workflow,
      String workflowHref,
      String step,
      String task,
      String action,
      String actionHref,
      String instructions,
      String subjectKey,
      String subject,
      String parameters,
      String runParameters,
      String triggeredBy,
      String requested,
      String requestedAt,
      String requestedIso,
      String expires,
      String expiresAt,
      String expiresIso,
      String role,
      String blockedBy,
      String approveHref,
      String rejectHref) {}

  /** A decided approval: how, by whom, when and why. */
  public record Decided(
      String id,
      String state,
      String runId,
      String runHref,
      String workflow,
      String task,
      String decidedBy,
      String decided,
      String decidedAt,
      String decidedIso,
      String comment) {}
}
