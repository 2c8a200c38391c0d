package dev.runledger.store;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * One transaction's view of the store, in the engine's terms. Write transactions are batched by
 * {@link WriteQueue}; read transactions run on reader connections.
 */
public final class Tx {
  private final Handle handle;
  private final Dialect dialect;
  private final List<Runnable> afterCommit;
  private final AuditBuffer auditBuffer;
  private final StepCountMoves stepMoves = new StepCountMoves();
  // Units of a batch run first with no savepoints (see WriteQueue): there a nested savepoint's
  // failure cannot be undone alone, so it fails the whole attempt, and the batch runs again.
  private final boolean withoutSavepoints;
  // The batch's deferred writes, in a batch run without savepoints; null otherwise.
  private final PendingWrites later;
  private RuntimeException failedInside;

  Tx(Handle handle, Dialect dialect, List<Runnable> afterCommit) {
    this(handle, dialect, afterCommit, null);
  }

  /** A unit of a batch run unit by unit, each in its own savepoint. */
  Tx(Handle handle, Dialect dialect, List<Runnable> afterCommit, AuditBuffer auditBuffer) {
    this.handle = handle;
    this.dialect = dialect;
    this.afterCommit = afterCommit;
    this.auditBuffer = auditBuffer;
    this.withoutSavepoints = false;
    this.later = null;
  }

  /**
   * A unit of a batch run without savepoints, with the batch's deferred writes ({@code later}, null
   * if the connection cannot defer them).
   */
  Tx(
      Handle handle,
      Dialect dialect,
      List<Runnable> afterCommit,
      AuditBuffer auditBuffer,
      PendingWrites later) {
    this.handle = handle;
    this.dialect = dialect;
    this.afterCommit = afterCommit;
    this.auditBuffer = auditBuffer;
    this.withoutSavepoints = true;
    this.later = later;
  }

  /**
   * Rethrows the failure of work given to {@link #inSavepoint} in a batch run without savepoints,
   * even if the unit caught it: its changes cannot be undone alone, so the batch must run again.
   */
  boolean failedInside() {
    return failedInside != null;
  }

  void throwIfFailedInside() {
    if (failedInside != null) {
      throw failedInside;
    }
  }

  /** Rows copied in bulk (the benchmark's fill only). */
  public BulkRows bulk() {
    return new BulkRows(handle);
  }

  static Tx readOnly(Handle handle, Dialect dialect) {
    return new Tx(handle, dialect, new ArrayList<>());
  }

  /** Writes what this unit of work added up in memory (step counters); called when it ends. */
  void flushPending() {
    stepMoves.flush(handle, later);
  }

  /** Runs {@code action} once this transaction has committed (a wake-up signal, say). */
  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  public Dialect dialect() {
    return dialect;
  }

  public DefinitionRepository definitions() {
    return new DefinitionRepository(handle);
  }

  public RunRepository runs() {
    return new RunRepository(handle, later);
  }

  public ApprovalRepository approvals() {
    return new ApprovalRepository(handle);
  }

  public RunStepRepository runSteps() {
    return new RunStepRepository(handle, stepMoves, later);
  }

  public TaskRepository tasks() {
    return new TaskRepository(handle, later);
  }

  public AttemptRepository attempts() {
    return new AttemptRepository(handle, later);
  }

  public JobRepository jobs() {
    return new JobRepository(handle, dialect, later);
  }

  public LogRepository logs() {
    return new LogRepository(handle, later);
  }

  public TriggerKeyRepository triggerKeys() {
    return new TriggerKeyRepository(handle, later);
  }

  public EffectRepository effects() {
    return new EffectRepository(handle, later);
  }

  /**
   * Runs {@code work} so that, if it throws, only its own changes are undone (a savepoint inside
   * this transaction) and the exception is rethrown; the rest of the transaction stands.
   */
  public <T> T inSavepoint(java.util.function.Supplier<T> work) {
    if (withoutSavepoints) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        failedInside = e;
        throw e;
      }
    }
    long auditMark = auditBuffer == null ? 0 : auditBuffer.mark();
    Object movesMark = stepMoves.mark();
    List<Runnable> hooks = new ArrayList<>(afterCommit);
    Sql.of("SAVEPOINT nested_work").on(handle).execute();
    T result;
    try {
      result = work.get();
    } catch (RuntimeException | Error e) {
      Sql.of("ROLLBACK TO SAVEPOINT nested_work").on(handle).execute();
      Sql.of("RELEASE SAVEPOINT nested_work").on(handle).execute();
      if (auditBuffer != null) {
        auditBuffer.rollbackTo(auditMark);
      }
      stepMoves.restore(movesMark);
      afterCommit.retainAll(hooks);
      throw e;
    }
    Sql.of("RELEASE SAVEPOINT nested_work").on(handle).execute();
    return result;
  }

  /**
   * Takes a workflow's admission lock until this transaction ends, so that runs admitted under its
   * concurrency limit are counted one transaction at a time across nodes: a PostgreSQL advisory
   * lock (waited for); SQLite has one writer, so there is nothing to take.
   */
  public void lockAdmission(String project, String workflow) {
    lock("runledger.admission/" + project + "/" + workflow);
  }

  /**
   * Takes a run's output-files lock until this transaction ends, so that the outputs recorded
   * against its size limit are added up one transaction at a time across nodes.
   */
  public void lockRunOutputs(String runId) {
    lock("runledger.outputs/" + runId);
  }

  private void lock(String key) {
    if (dialect.isSqlite()) {
      return;
    }
    Sql.of("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
        .on(handle)
        .str("key", key)
        .list(rs -> rs.getObject(1));
  }

  /**
   * Takes the audit sealer's lock for this transaction: on PostgreSQL an advisory lock, so that one
   * node at a time chains events; SQLite has one writer, so it always succeeds there.
   */
  public boolean tryLockAuditSealer() {
    return AuditChain.tryLock(handle, dialect);
  }

  public AuditRepository audit() {
    return new AuditRepository(handle, auditBuffer);
  }

  public ArtifactRepository artifacts() {
    return new ArtifactRepository(handle);
  }

  public BlobRepository blobs() {
    return new BlobRepository(handle);
  }

  public ReportRepository reports() {
    return new ReportRepository(handle);
  }

  public RetentionRepository retention() {
    return new RetentionRepository(handle);
  }

  public TokenRepository tokens() {
    return new TokenRepository(handle);
  }

  public WebSessionRepository webSessions() {
    return new WebSessionRepository(handle);
  }

  public SecretRepository secrets() {
    return new SecretRepository(handle);
  }

  public NodeRepository nodes() {
    return new NodeRepository(handle);
  }

  public TriggerRepository triggers() {
    return new TriggerRepository(handle);
  }
}
