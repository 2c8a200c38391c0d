package dev.runledger.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Rows copied in bulk, for the benchmark that fills a store to production size: read a real row as
 * a template, insert many variations of it in one batch. Only the tables of runs, their steps,
 * tasks and logs; never used by the engine.
 */
public final class BulkRows {
  private static final Set<String> TABLES = Set.of("runs", "run_steps", "tasks", "task_logs");

  private final Handle h;

  BulkRows(Handle h) {
    this.h = h;
  }

  /** The rows of {@code table} whose {@code run_id} (or {@code id} for runs) is {@code runId}. */
  public List<Map<String, Object>> ofRun(String table, String runId) {
    check(table);
    String key = table.equals("runs") ? "id" : "run_id";
    return h.createQuery("SELECT * FROM " + table + " WHERE " + key + " = :run")
        .bind("run", runId)
        .mapToMap()
        .list();
  }

  /** Inserts the rows (each with the same columns) in one batch. */
  public void insert(String table, List<Map<String, Object>> rows) {
    check(table);
    if (rows.isEmpty()) {
      return;
    }
    // One type per column for the whole batch (JDBI prepares its binders once): the first
    // non-null value's. A column null in every row is left out (it is stored null): bound as text
    // it would be refused by a PostgreSQL column of another type.
    List<String> columns = new ArrayList<>();
    Map<String, Class<?>> types = new java.util.HashMap<>();
    for (String c : rows.get(0).keySet()) {
      if (c.equals("pk")) {
        continue;
      }
      for (Map<String, Object> row : rows) {
        if (row.get(c) != null) {
          types.put(c, row.get(c).getClass());
          columns.add(c);
          break;
        }
      }
    }
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
    sql.append(String.join(", ", columns)).append(") VALUES (");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(':').append(columns.get(i));
    }
    PreparedBatch batch = h.prepareBatch(sql.append(')').toString());
    for (Map<String, Object> row : rows) {
      for (String c : columns) {
        batch.bindByType(c, row.get(c), types.get(c));
      }
      batch.add();
    }
    batch.execute();
  }

  private static void check(String table) {
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("not a table for bulk rows: " + table);
    }
  }
}
