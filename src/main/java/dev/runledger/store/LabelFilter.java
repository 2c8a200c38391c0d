package dev.runledger.store;

import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** The condition that a run (alias {@code r}) has every label given, for listings and reports. */
final class LabelFilter {
  private LabelFilter() {}

  static void append(StringBuilder sql, Map<String, String> labels) {
    append(sql, labels, new boolean[labels.size()]);
  }

  /**
   * Like {@link #append(StringBuilder, Map)}, for a listing read newest first: a label on few runs
   * ({@link #fewRuns}) looks its runs up from the label's index entries instead of being tested run
   * by run from the newest (SQLite tests every run of the project when the label is on none); a
   * common label keeps the test, which finds a page at once.
   */
  static void appendForListing(Handle h, StringBuilder sql, Map<String, String> labels) {
    boolean[] byIndex = new boolean[labels.size()];
    int i = 0;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      byIndex[i++] = fewRuns(h, label.getKey(), label.getValue());
    }
    append(sql, labels, byIndex);
  }

  private static void append(StringBuilder sql, Map<String, String> labels, boolean[] byIndex) {
    for (int i = 0; i < labels.size(); i++) {
      if (byIndex[i]) {
        sql.append(" AND r.id IN (SELECT l.run_id FROM run_labels l WHERE l.key = :lk");
      } else {
        sql.append(" AND EXISTS (SELECT 1 FROM run_labels l WHERE l.run_id = r.id AND l.key = :lk");
      }
      sql.append(i).append(" AND l.value = :lv").append(i).append(")");
    }
  }

  /** At most this many runs with a label count as few. */
  static final int FEW = 2_000;

  /** Whether at most {@link #FEW} runs carry the label (one bounded index range count). */
  static boolean fewRuns(Handle h, String key, String value) {
    return h.createQuery(
                "SELECT COUNT(*) FROM (SELECT 1 FROM run_labels WHERE key = :k AND value = :v"
                    + " LIMIT "
                    + (FEW + 1)
                    + ") few")
            .bind("k", key)
            .bind("v", value)
            .mapTo(Long.class)
            .one()
        <= FEW;
  }

  static void bind(Query q, Map<String, String> labels) {
    int i = 0;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      q.bind("lk" + i, label.getKey()).bind("lv" + i, label.getValue());
      i++;
    }
  }
}
