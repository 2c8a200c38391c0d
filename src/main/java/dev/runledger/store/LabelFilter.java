package dev.runledger.store;

import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** The condition that a run (alias {@code r}) has every label given, for listings and reports. */
final class LabelFilter {
  private LabelFilter() {}

  static void append(StringBuilder sql, Map<String, String> labels) {
    append(sql, labels, -1);
  }

  /** The condition for every label but the {@code joined}-th (-1: none), which the query joins. */
  static void append(StringBuilder sql, Map<String, String> labels, int joined) {
    for (int i = 0; i < labels.size(); i++) {
      if (i != joined) {
        sql.append(" AND EXISTS (SELECT 1 FROM run_labels l WHERE l.run_id = r.id AND l.key = :lk")
            .append(i)
            .append(" AND l.value = :lv")
            .append(i)
            .append(")");
      }
    }
  }

  /**
   * For a listing read newest first: the position of a label on few runs ({@link #fewRuns}), whose
   * index entries the query should start from (and join the runs) rather than test run by run from
   * the newest, which on SQLite tests every run of the project when the label is on none; -1 when
   * every label is common (the test then finds a page at once).
   */
  static int fewRunsLabel(Handle h, Map<String, String> labels) {
    int i = 0;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (fewRuns(h, label.getKey(), label.getValue())) {
        return i;
      }
      i++;
    }
    return -1;
  }

  /** The runs of the {@code i}-th label, joined first ({@code CROSS JOIN} keeps SQLite's order). */
  static String joinedFirst(int i) {
    return "SELECT r.* FROM run_labels dl CROSS JOIN runs r WHERE dl.key = :lk"
        + i
        + " AND dl.value = :lv"
        + i
        + " AND r.id = dl.run_id AND r.project = :project";
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
