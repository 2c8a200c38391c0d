package dev.runledger.web;

import dev.runledger.audit.AuditVerifier;

/**
 * The audit chain as verify found it: intact or broken (and where), how many events it holds and
 * its head hash, the value an auditor writes down to check later exports against.
 *
 * @param headSeq the last chained position (0 when the chain is empty)
 * @param brokenAt the first position that does not verify, or null
 */
public record ChainState(boolean ok, long events, long headSeq, String headHash, Long brokenAt) {

  static ChainState of(AuditVerifier.Verification v) {
    return new ChainState(v.ok(), v.events(), v.headSeq(), v.headHash(), v.firstInvalidSeq());
  }

  /** {@code Audit chain intact} or {@code Audit chain broken at position N}. */
  public String headline() {
    return ok ? "Audit chain intact" : "Audit chain broken at position " + brokenAt;
  }
}
