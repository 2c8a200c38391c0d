package dev.runledger.store;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The engine's entry to the database: batched writes and reads on reader connections. */
public final class Store implements AutoCloseable {
  private final Database database;
  private final WriteQueue writes;

  public Store(Database database) {
    this.database = database;
    this.writes = new WriteQueue(database.writer(), database.dialect());
  }

  /**
   * Runs {@code work} in a write transaction, possibly grouped with others (group commit). The
   * future completes after the commit; if {@code work} throws, only its own changes are undone.
   */
  /**
   * With one writer (SQLite), chains audit events as the batch inserts them, with {@code hasher}
   * (the audit package's); PostgreSQL nodes leave chaining to the sealer, one node at a time.
   */
  public void chainAuditEventsOnInsert(AuditChain.Hasher hasher, String genesis) {
    if (dialect().isSqlite()) {
      writes.chainAuditEvents(hasher, genesis);
    }
  }

  /**
   * Runs {@code work} in a write transaction shared with other callers' (group commit); the future
   * completes after the commit. {@code work} may run twice, the first run rolled back, when another
   * unit of its batch fails: it must not act outside the transaction (signal, write files, drain a
   * buffer, change memory others see) except through {@link Tx#afterCommit}.
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

  public boolean isHealthy() {
    return database.isHealthy();
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
