package dev.runledger.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread owns the writer connection and commits many callers' units of work in
 * one transaction, each unit inside its own savepoint so that a failing unit undoes only itself. A
 * caller's future completes only after the commit that holds its unit.
 */
final class WriteQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteQueue.class);
  private static final int MAX_BATCH = 512;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile AuditChain chain;
  private long statBusy;
  private long statBatches;
  private long statUnits;
  private long statCommit;
  private long statRetried;

  private record Unit<T>(Function<Tx, T> work, CompletableFuture<T> future) {}

  WriteQueue(Jdbi jdbi, Dialect dialect) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.thread = new Thread(this::loop, "runledger-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Chains audit events as the batch inserts them, when it can (see {@link AuditChain}). */
  void chainAuditEvents(AuditChain.Hasher hasher, String genesis) {
    this.chain = new AuditChain(hasher, genesis);
  }

  <T> CompletableFuture<T> submit(Function<Tx, T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    if (!running) {
      future.completeExceptionally(new IllegalStateException("the store is closed"));
      return future;
    }
    queue.add(new Unit<>(work, future));
    return future;
  }

  /** Waits for a write's future, rethrowing the unit's own exception unchanged. */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a commit", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CompletionException(cause);
    }
  }

  private void loop() {
    Handle handle = null;
    List<Unit<?>> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Unit<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        if (handle == null) {
          handle = jdbi.open();
        }
        long t0 = System.nanoTime();
        commit(handle, batch);
        statBusy += System.nanoTime() - t0;
        statBatches++;
        statUnits += batch.size();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("write batch failed", e);
        for (Unit<?> unit : batch) {
          unit.future().completeExceptionally(e);
        }
        if (handle != null) {
          try {
            handle.close();
          } catch (RuntimeException closeFailure) {
            LOG.debug("closing the writer connection failed", closeFailure);
          }
          handle = null;
        }
      } finally {
        batch.clear();
      }
    }
    if (handle != null) {
      handle.close();
    }
    LOG.debug(
        "writer: {} batches ({} run again unit by unit), {} units, busy {} ms, commit {} ms",
        statBatches,
        statRetried,
        statUnits,
        statBusy / 1_000_000,
        statCommit / 1_000_000);
  }

  /**
   * Commits the batch; when PostgreSQL breaks a deadlock with another node's writer by failing this
   * transaction, or refuses it as a serialization failure, the whole batch is rolled back and run
   * again (a few times, after a short random pause): nothing of it was kept, and its units may run
   * twice (see {@link Store#write}). A retried unit by itself could block on the locks the batch's
   * earlier units hold, so it is never retried alone.
   */
  private void commit(Handle handle, List<Unit<?>> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        if (!commitTogether(handle, batch)) {
          statRetried++;
          commitUnitByUnit(handle, batch);
        }
        return;
      } catch (TransientFailure e) {
        if (attempt == TRANSIENT_ATTEMPTS) {
          LOG.warn("write batch failed {} times on lock conflicts; giving up", attempt);
          for (Unit<?> unit : batch) {
            complete(unit, null, e.getCause());
          }
          return;
        }
        LOG.debug("write batch lost a lock conflict (attempt {}); running it again", attempt);
        pauseBeforeRetry(attempt);
      }
    }
  }

  private static final int TRANSIENT_ATTEMPTS = 5;

  private static void pauseBeforeRetry(int attempt) {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A batch's transaction lost a lock conflict and was rolled back whole: run it again. */
  private static final class TransientFailure extends RuntimeException {
    TransientFailure(Throwable cause) {
      super(cause);
    }
  }

  /**
   * Runs the batch's units one after another with no savepoint around each (a savepoint and its
   * release are two statements per unit, two round trips on PostgreSQL) and commits. If any unit
   * fails, everything is rolled back and false returned: the caller runs the batch again {@link
   * #commitUnitByUnit unit by unit}, so a unit may run twice (see {@link Store#write}). A batch of
   * one unit fails as it is: there is nothing else to keep.
   */
  private boolean commitTogether(Handle handle, List<Unit<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    List<Runnable> afterCommit = new ArrayList<>();
    AuditBuffer audit = new AuditBuffer(handle, chain);
    boolean failedInsideSavepoint = false;
    PendingWrites later = new PendingWrites();
    CachingStatementBuilder statements =
        handle.getStatementBuilder() instanceof CachingStatementBuilder c ? c : null;
    if (statements != null) {
      statements.beforeStatement(() -> later.flush(handle));
    }
    try {
      handle.begin();
      for (Unit<?> unit : batch) {
        List<Runnable> unitHooks = new ArrayList<>();
        Tx tx = new Tx(handle, dialect, unitHooks, audit, statements == null ? null : later);
        results.add(unit.work().apply(tx));
        tx.flushPending();
        failedInsideSavepoint = tx.failedInside();
        tx.throwIfFailedInside();
        audit.unitSucceeded();
        afterCommit.addAll(unitHooks);
      }
      later.flush(handle);
      audit.flushBatch();
      long c0 = System.nanoTime();
      handle.commit();
      statCommit += System.nanoTime() - c0;
      if (statements != null) {
        statements.beforeStatement(null);
      }
    } catch (RuntimeException | Error e) {
      try {
        handle.rollback();
      } catch (RuntimeException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      if (statements != null) {
        statements.beforeStatement(null);
      }
      if (StoreExceptions.isLockConflict(e)) {
        throw new TransientFailure(e);
      }
      // A failure inside a nested savepoint that the unit handled must be undone alone, and a
      // deferred write's failure belongs where the write was made: run again with savepoints and
      // immediate writes, even a batch of one.
      if (batch.size() > 1 || failedInsideSavepoint || later.failed()) {
        return false;
      }
      complete(batch.get(0), null, StoreExceptions.translate(e));
      return true;
    }
    runHooks(afterCommit);
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i), null);
    }
    return true;
  }

  /** Runs each unit in its own savepoint, so that a failing unit undoes only itself. */
  private void commitUnitByUnit(Handle handle, List<Unit<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    List<Throwable> failures = new ArrayList<>(batch.size());
    List<Runnable> afterCommit = new ArrayList<>();
    AuditBuffer audit = new AuditBuffer(handle, chain);
    handle.begin();
    try {
      for (int i = 0; i < batch.size(); i++) {
        Unit<?> unit = batch.get(i);
        String savepoint = "u" + i;
        savepoint(handle, savepoint);
        List<Runnable> unitHooks = new ArrayList<>();
        try {
          Tx tx = new Tx(handle, dialect, unitHooks, audit);
          results.add(unit.work().apply(tx));
          tx.flushPending();
          failures.add(null);
          release(handle, savepoint);
          audit.unitSucceeded();
          afterCommit.addAll(unitHooks);
        } catch (RuntimeException | Error e) {
          if (StoreExceptions.isLockConflict(e)) {
            throw new TransientFailure(e);
          }
          rollbackTo(handle, savepoint);
          audit.unitFailed();
          results.add(null);
          failures.add(StoreExceptions.translate(e));
        }
      }
      // The batch's audit events, in one batched insert, in the same transaction as their changes.
      audit.flushBatch();
      long c0 = System.nanoTime();
      handle.commit();
      statCommit += System.nanoTime() - c0;
    } catch (RuntimeException e) {
      try {
        handle.rollback();
      } catch (RuntimeException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e instanceof TransientFailure || !StoreExceptions.isLockConflict(e)
          ? e
          : new TransientFailure(e);
    }
    runHooks(afterCommit);
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i), failures.get(i));
    }
  }

  private static void runHooks(List<Runnable> afterCommit) {
    for (Runnable hook : afterCommit) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.warn("after-commit action failed", e);
      }
    }
  }

  // On SQLite the unit savepoints run as cached prepared statements under one name (a unit's
  // savepoint is released before the next one starts): JDBI's savepoint calls compile a new
  // statement each time, two or three per unit on the single writer thread.
  private static final String SAVEPOINT = "SAVEPOINT unit";
  private static final String RELEASE = "RELEASE SAVEPOINT unit";
  private static final String ROLLBACK_TO = "ROLLBACK TO SAVEPOINT unit";

  private void savepoint(Handle handle, String name) {
    if (dialect.isSqlite()) {
      Sql.of(SAVEPOINT).on(handle).execute();
    } else {
      handle.savepoint(name);
    }
  }

  private void release(Handle handle, String name) {
    if (dialect.isSqlite()) {
      Sql.of(RELEASE).on(handle).execute();
    } else {
      handle.releaseSavepoint(name);
    }
  }

  private void rollbackTo(Handle handle, String name) {
    if (dialect.isSqlite()) {
      // Rolled back to, a savepoint stays open: release it so that the next unit's is the only one.
      Sql.of(ROLLBACK_TO).on(handle).execute();
      Sql.of(RELEASE).on(handle).execute();
    } else {
      // Jdbi forgets the savepoint once rolled back to; nothing to release.
      handle.rollbackToSavepoint(name);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Unit<T> unit, Object result, Throwable failure) {
    if (failure != null) {
      unit.future().completeExceptionally(failure);
    } else {
      unit.future().complete((T) result);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
