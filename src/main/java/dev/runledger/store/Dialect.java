package dev.runledger.store;

/** The few statements that differ between SQLite and PostgreSQL, in one place. */
public enum Dialect {
  SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", "", "BLOB", true),
  POSTGRESQL("BIGSERIAL PRIMARY KEY", " FOR UPDATE SKIP LOCKED", "BYTEA", false);

  private final String autoIncrementKey;
  private final String skipLocked;
  private final String binaryType;
  private final String claimWorkerJobs;
  private final String claimInlineJobs;
  private final String takeInlineJobs;

  Dialect(String autoIncrementKey, String skipLocked, String binaryType, boolean indexedBy) {
    this.autoIncrementKey = autoIncrementKey;
    this.skipLocked = skipLocked;
    this.binaryType = binaryType;
    this.claimWorkerJobs = claim(indexedBy ? " INDEXED BY jobs_queued" : "", 0);
    this.claimInlineJobs = claim(indexedBy ? " INDEXED BY jobs_queued_inline" : "", 1);
    this.takeInlineJobs =
        "SELECT * FROM jobs"
            + (indexedBy ? " INDEXED BY jobs_queued_inline" : "")
            + " WHERE state = 'queued' AND inline = 1 AND available_at <= :now"
            + " ORDER BY priority, id LIMIT :limit"
            + skipLocked;
  }

  /**
   * Selects available inline jobs to run in this transaction without leasing them first (see {@code
   * JobRepository.take}): PostgreSQL locks them, and other nodes skip them, until it ends.
   */
  public String takeInlineJobs() {
    return takeInlineJobs;
  }

  /** The column type of binary content (blobs), for migrations. */
  public String binaryType() {
    return binaryType;
  }

  /** The column definition of an auto-increment primary key, for migrations. */
  public String autoIncrementKey() {
    return autoIncrementKey;
  }

  /**
   * The claim statement: leases up to {@code :limit} available jobs in one statement. SQLite has
   * one writer at a time, so it needs no row locks; PostgreSQL skips rows other nodes hold. The
   * queued jobs are walked in claim order on the partial index {@code jobs_queued} (SQLite is told
   * to use it: otherwise it may sort every available job to take the first few). Worker jobs and
   * inline jobs are claimed by two statements, each on its own partial index ({@code jobs_queued},
   * {@code jobs_queued_inline}).
   */
  public String claimJobs(boolean inline) {
    return inline ? claimInlineJobs : claimWorkerJobs;
  }

  private String claim(String queueIndex, int inline) {
    return "UPDATE jobs SET state = 'leased', lease_owner = :owner, lease_expires_at = :leaseUntil,"
        + " heartbeat_at = :now, updated_at = :now,"
        + " attempt = CASE WHEN timer_due IS NULL THEN attempt + 1 ELSE attempt END"
        + " WHERE id IN (SELECT id FROM jobs"
        + queueIndex
        + " WHERE state = 'queued' AND inline = "
        + inline
        + " AND available_at <= :now"
        + " ORDER BY priority, id LIMIT :limit"
        + skipLocked
        + ") RETURNING *";
  }

  public boolean isSqlite() {
    return this == SQLITE;
  }
}
