package dev.runledger.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Writes of a batch that wait to run together: the rows the hot path inserts (runs, steps, tasks,
 * jobs, attempts, effects) and the changes it makes without reading anything back (a task's status,
 * an attempt's end, a job done, evidence). They run as one batched statement per SQL text (one
 * round trip on PostgreSQL) just before any other statement of the batch, which therefore sees
 * them, and before the commit; new rows first, then changes, each in the order they were made.
 *
 * <p>Only while a batch runs {@linkplain WriteQueue without savepoints}: a failure then rolls the
 * whole batch back and it runs again unit by unit, with every write immediate.
 */
final class PendingWrites {
  private static final int PHASES = 2;

  private final List<Map<Sql, List<Object[]>>> phases = new ArrayList<>(PHASES);
  private boolean flushing;
  private boolean failed;
  private int size;

  PendingWrites() {
    for (int i = 0; i < PHASES; i++) {
      phases.add(new LinkedHashMap<>());
    }
  }

  /**
   * Records one execution of {@code sql}: its values, their SQL types, and whether it must change
   * exactly one row.
   */
  void record(int phase, Sql sql, Object[] values, int[] types, boolean expectOneRow) {
    phases
        .get(phase)
        .computeIfAbsent(sql, k -> new ArrayList<>())
        .add(new Object[] {values, types, expectOneRow});
    size++;
  }

  /** Whether a flush failed: the batch must run again unit by unit, each write in its place. */
  boolean failed() {
    return failed;
  }

  /** Runs everything recorded so far. */
  void flush(Handle h) {
    if (flushing || size == 0) {
      return;
    }
    flushing = true;
    try {
      for (Map<Sql, List<Object[]>> phase : phases) {
        for (Map.Entry<Sql, List<Object[]>> e : phase.entrySet()) {
          List<Object[]> rows = e.getValue();
          Sql.Stmt stmt = e.getKey().on(h);
          for (Object[] row : rows) {
            stmt.addRecorded((Object[]) row[0], (int[]) row[1]);
          }
          int[] counts = stmt.executeBatch();
          for (int i = 0; i < rows.size() && i < counts.length; i++) {
            if ((Boolean) rows.get(i)[2]
                && counts[i] != 1
                && counts[i] != java.sql.Statement.SUCCESS_NO_INFO) {
              throw new IllegalStateException(
                  "a deferred write changed " + counts[i] + " rows instead of one: " + e.getKey());
            }
          }
        }
      }
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    } finally {
      for (Map<Sql, List<Object[]>> phase : phases) {
        phase.clear();
      }
      size = 0;
      flushing = false;
    }
  }
}
