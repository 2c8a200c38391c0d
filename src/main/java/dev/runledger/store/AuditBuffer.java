package dev.runledger.store;

import dev.runledger.model.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Audit events appended in a write batch, inserted with one batched statement instead of one
 * statement each. A unit's events join the batch's only when the unit succeeds (a failed unit's
 * savepoint rollback drops its own); all are inserted before the batch commits, in the order they
 * were appended, so they commit atomically with the changes they describe. Any audit read inside
 * the batch first inserts what is pending, so a unit always sees the events written before it.
 */
final class AuditBuffer {
  private final Handle handle;
  private final AuditChain chain;
  private final List<AuditEvent> batch = new ArrayList<>();
  private List<AuditEvent> unit = new ArrayList<>();
  // Earlier units' events inserted inside the current unit's savepoint: a rollback of the unit
  // undoes those inserts too, so they go back to pending.
  private final List<AuditEvent> flushedInUnit = new ArrayList<>();

  AuditBuffer(Handle handle, AuditChain chain) {
    this.handle = handle;
    this.chain = chain;
  }

  private int flushes;

  void add(AuditEvent event) {
    unit.add(event);
  }

  /** Where the current unit's events stand, for {@link #rollbackTo} (a nested savepoint). */
  long mark() {
    return ((long) flushes << 32) | unit.size();
  }

  /**
   * Drops the current unit's events added since {@code mark}: a nested savepoint was rolled back.
   *
   * @throws IllegalStateException when events were inserted in between (the nested work read the
   *     audit trail), which cannot be undone here: the whole unit must fail
   */
  void rollbackTo(long mark) {
    if ((int) (mark >>> 32) != flushes) {
      throw new IllegalStateException("audit events were inserted inside a nested savepoint");
    }
    int size = (int) mark;
    while (unit.size() > size) {
      unit.remove(unit.size() - 1);
    }
  }

  /** The current unit succeeded: its events will be inserted with the batch. */
  void unitSucceeded() {
    batch.addAll(unit);
    unit = new ArrayList<>();
    flushedInUnit.clear();
  }

  /** The current unit was rolled back to its savepoint: its pending events are dropped. */
  void unitFailed() {
    unit = new ArrayList<>();
    batch.addAll(0, flushedInUnit);
    flushedInUnit.clear();
  }

  /**
   * Before the commit, outside any unit: inserts the batch's pending events, chained already when
   * the writer knows the chain's head (see {@link AuditChain}).
   */
  void flushBatch() {
    if (!batch.isEmpty()) {
      List<AuditEvent> chained = chain == null ? null : chain.chain(handle, batch);
      AuditRepository.insertAll(handle, chained == null ? batch : chained);
      batch.clear();
    }
    flushedInUnit.clear();
  }

  /** Inserts every pending event (the batch's, then the current unit's), unchained. */
  void flush() {
    flushes++;
    if (!batch.isEmpty()) {
      AuditRepository.insertAll(handle, batch);
      flushedInUnit.addAll(batch);
      batch.clear();
    }
    if (!unit.isEmpty()) {
      AuditRepository.insertAll(handle, unit);
      unit.clear();
    }
  }
}
