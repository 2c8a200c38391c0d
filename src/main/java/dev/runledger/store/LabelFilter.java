package dev.runledger.store;

import java.util.Map;
import org.jdbi.v3.core.statement.Query;

/** The condition that a run (alias {@code r}) has every label given, for listings and reports. */
final class LabelFilter {
  private LabelFilter() {}

  static void append(StringBuilder sql, Map<String, String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      sql.append(" AND EXISTS (SELECT 1 FROM run_labels l WHERE l.run_id = r.id AND l.key = :lk")
          .append(i)
          .append(" AND l.value = :lv")
          .append(i)
          .append(")");
    }
  }

  static void bind(Query q, Map<String, String> labels) {
    int i = 0;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      q.bind("lk" + i, label.getKey()).bind("lv" + i, label.getValue());
      i++;
    }
  }
}
