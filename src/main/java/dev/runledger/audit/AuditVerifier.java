package dev.runledger.audit;

import dev.runledger.store.Store;

/**
 * Recomputes the audit chain and names the first event that does not match. Given an anchor (a
 * chain position and its hash exported earlier), it also detects a trail truncated after the anchor
 * and re-appended: the chain would be intact, but no longer pass through the anchor.
 */
public final class AuditVerifier {
  private final Store store;

  public AuditVerifier(Store store) {
    this.store = store;
  }

  /**
   * The outcome of a verification.
   *
   * @param headSeq the last chained position (0 when the trail is empty)
   * @param anchorOk null without an anchor; else whether the chain passes through it
   */
  public record Verification(
      boolean ok,
      long events,
      String headHash,
      Long firstInvalidSeq,
      long headSeq,
      Boolean anchorOk) {}

  public Verification verify() {
    return verify(null, null);
  }

  /** Verifies the chain and, when {@code anchorSeq} is given, that it holds the anchor. */
  public Verification verify(Long anchorSeq, String anchorHash) {
    return store.read(
        tx -> {
          long[] count = {0};
          long[] expectedSeq = {1};
          String[] prev = {AuditHasher.GENESIS};
          Long[] firstInvalid = {null};
          String[] atAnchor = {null};
          tx.audit()
              .forEachSealed(
                  e -> {
                    count[0]++;
                    if (anchorSeq != null && e.seq() == anchorSeq.longValue()) {
                      atAnchor[0] = e.hash();
                    }
                    if (firstInvalid[0] != null) {
                      return;
                    }
                    String expected = AuditHasher.hash(prev[0], e.seq(), e);
                    if (e.seq() != expectedSeq[0]
                        || !prev[0].equals(e.prevHash())
                        || !expected.equals(e.hash())) {
                      firstInvalid[0] = e.seq();
                    }
                    prev[0] = e.hash();
                    expectedSeq[0] = e.seq() + 1;
                  });
          long headSeq = expectedSeq[0] - 1;
          Boolean anchorOk = null;
          if (anchorSeq != null) {
            anchorOk = anchorHash != null && anchorHash.equals(atAnchor[0]);
            if (!anchorOk && firstInvalid[0] == null) {
              // Missing: the trail was cut before the anchor; different: cut and re-appended.
              firstInvalid[0] = atAnchor[0] == null ? headSeq + 1 : anchorSeq;
            }
          }
          boolean ok = firstInvalid[0] == null;
          return new Verification(
              ok, count[0], count[0] == 0 ? null : prev[0], firstInvalid[0], headSeq, anchorOk);
        });
  }
}
