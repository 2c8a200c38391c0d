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
  private int size;

  PendingWrites() {
    for (int i = 0; i < PHASES; i++) {
      phases.add(new LinkedHashMap<>());
    }
  }

  /** Records one execution of {@code sql}: its values and their SQL types. */
  void record(int phase, Sql sql, Object[] values, int[] types) {
    phases
        .get(phase)
        .computeIfAbsent(sql, k -> new ArrayList<>())
        .add(new Object[] {values, types});
    size++;
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
          Sql.Stmt stmt = e.getKey().on(h);
          for (Object[] row : e.getValue()) {
            stmt.addRecorded((Object[]) row[0], (int[]) row[1]);
          }
          stmt.executeBatch();
        }
        phase.clear();
      }
    } finally {
      for (Map<Sql, List<Object[]>> phase : phases) {
        phase.clear();
      }
      size = 0;
      flushing = false;
    }
  }
}
