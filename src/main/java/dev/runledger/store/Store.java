package dev.runledger.store;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The engine's entry to the database: batched writes and reads on reader connections. */
public final class Store implements AutoCloseable {
  private final Database database;
  private final WriteQueue writes;
  private volatile boolean migrated;

  public Store(Database database) {
    this.database = database;
    this.writes = new WriteQueue(database.writer(), database.dialect());
  }

  /**
   * Chains audit events as each batch inserts them, with {@code hasher} (the audit package's),
   * whenever the batch can (see {@link AuditChain}); the sealer chains the rest.
   */
  public void chainAuditEventsOnInsert(AuditChain.Hasher hasher, String genesis) {
    writes.chainAuditEvents(hasher, genesis);
  }

  /**
   * Runs {@code work} in a write transaction shared with other callers' (group commit); the future
   * completes after the commit; if {@code work} throws, only its own changes are undone. {@code
   * work} may run twice, the first run rolled back, when another unit of its batch fails: it must
   * not act outside the transaction (signal, write files, drain a buffer, change memory others see)
   * except through {@link Tx#afterCommit}.
   */
  public <T> CompletableFuture<T> write(Function<Tx, T> work) {
    return writes.submit(work);
  }

  /** Like {@link #write} and waits for the commit; exceptions of {@code work} are rethrown. */
  public <T> T writeAndWait(Function<Tx, T> work) {
    return WriteQueue.join(write(work));
  }

  /** Runs {@code work} on a reader connection in one transaction. */
  public <T> T read(Function<Tx, T> work) {
    return database.reader().inTransaction(h -> work.apply(Tx.readOnly(h, database.dialect())));
  }

  public Dialect dialect() {
    return database.dialect();
  }

  /**
   * Refreshes PostgreSQL's planner statistics now ({@code ANALYZE}), as autovacuum does within a
   * minute or so; for a database that just grew from nothing (a benchmark after its warm-up).
   * SQLite's lookups here do not depend on statistics.
   */
  public void refreshStatistics() {
    if (!dialect().isSqlite()) {
      database.reader().useHandle(h -> h.execute("ANALYZE"));
    }
  }

  public boolean isHealthy() {
    return database.isHealthy();
  }

  /**
   * Whether the store has every migration this version knows (once true it stays so: migrations are
   * not undone under a running server). False while the store cannot be asked.
   */
  public boolean isMigrated() {
    if (migrated) {
      return true;
    }
    try {
      migrated = database.pendingMigrations() == 0;
    } catch (RuntimeException e) {
      return false;
    }
    return migrated;
  }

  Database database() {
    return database;
  }

  public String description() {
    return database.description();
  }

  @Override
  public void close() {
    writes.close();
    database.close();
  }
}
