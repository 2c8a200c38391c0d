package dev.runledger.audit;

import dev.runledger.store.Store;

/** Recomputes the audit chain and names the first event that does not match. */
public final class AuditVerifier {
  private final Store store;

  public AuditVerifier(Store store) {
    this.store = store;
  }

  /** The outcome of a verification. */
  public record Verification(boolean ok, long events, String headHash, Long firstInvalidSeq) {}

  public Verification verify() {
    return store.read(
        tx -> {
          long[] count = {0};
          long[] expectedSeq = {1};
          String[] prev = {AuditHasher.GENESIS};
          Long[] firstInvalid = {null};
          tx.audit()
              .forEachSealed(
                  e -> {
                    count[0]++;
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
          return new Verification(firstInvalid[0] == null, count[0], prev[0], firstInvalid[0]);
        });
  }
}
