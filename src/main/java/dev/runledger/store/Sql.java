package dev.runledger.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.postgresql.PGStatement;

/**
 * Plain JDBC for the statements on the hot path (trigger, claim, outcome), on the handle's own
 * connection and transaction. JDBI costs 15 to 30 us of CPU per statement in argument-factory and
 * configuration lookups, several times what SQLite needs to run the statement, and the single
 * writer thread pays it for every statement of every task. Statements keep JDBI's {@code :name}
 * parameters (parsed once per SQL text); on the writer's connection they are borrowed from its
 * {@link CachingStatementBuilder}, elsewhere prepared and closed. Values are bound with their SQL
 * type, nulls included (PostgreSQL needs the type of a null).
 */
final class Sql {
  private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");
  private static final Map<String, Sql> CACHE = new ConcurrentHashMap<>();

  private final String text;
  private final Map<String, int[]> positions;

  private Sql(String named) {
    Map<String, List<Integer>> found = new HashMap<>();
    StringBuilder out = new StringBuilder(named.length());
    Matcher m = NAMED.matcher(named);
    int index = 0;
    while (m.find()) {
      found.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(++index);
      m.appendReplacement(out, "?");
    }
    m.appendTail(out);
    this.text = out.toString();
    this.positions = new HashMap<>();
    found.forEach((k, v) -> positions.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
  }

  /** The statement for this SQL text with {@code :name} parameters (parsed once). */
  static Sql of(String named) {
    Sql sql = CACHE.get(named);
    if (sql == null) {
      if (CACHE.size() > 4096) {
        CACHE.clear();
      }
      sql = CACHE.computeIfAbsent(named, Sql::new);
    }
    return sql;
  }

  /** The handle attribute that holds the database's {@link Dialect}. */
  static final String DIALECT = "runledger.dialect";

  static Dialect dialect(Handle h) {
    Object d = h.getConfig(SqlStatements.class).getAttribute(DIALECT);
    return d instanceof Dialect dialect ? dialect : Dialect.SQLITE;
  }

  /**
   * The statement for {@code template} with {@code IN (<list>)} made to take {@code n} values,
   * bound with {@link Stmt#strs}: on PostgreSQL {@code = ANY(:list)}, one array parameter (one
   * statement, planned once, whatever the length); on SQLite {@code n} parameters rounded up to a
   * power of two, so that lists of any length share a few statements.
   */
  static Sql in(Handle h, String template, String list, int n) {
    return of(expand(dialect(h), template, list, n));
  }

  /** {@code template} with {@code IN (<list>)} expanded for {@code n} values (see {@link #in}). */
  static String expand(Dialect dialect, String template, String list, int n) {
    if (!dialect.isSqlite()) {
      return template.replace("IN (<" + list + ">)", "= ANY(:" + list + ")");
    }
    int size = n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < size; i++) {
      params.append(i == 0 ? ":" : ", :").append(list).append(i);
    }
    return template.replace("<" + list + ">", params);
  }

  Stmt on(Handle h) {
    return new Stmt(h, this, null, 0);
  }

  /**
   * As {@link #on(Handle)} for a write that can wait for the batch's next statement or its end:
   * with {@code later} set, {@code execute} and {@code add} record the values there (see {@link
   * PendingWrites}, {@code phase} 0 for new rows, 1 for changes) instead of running.
   */
  Stmt on(Handle h, PendingWrites later, int phase) {
    return new Stmt(h, this, later, phase);
  }

  @Override
  public String toString() {
    return text;
  }

  /** The number of {@code ?} placeholders. */
  int parameterCount() {
    int n = 0;
    for (int[] p : positions.values()) {
      n += p.length;
    }
    return n;
  }

  /** Maps one row. */
  @FunctionalInterface
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** A failed statement (translated at the store boundary like JDBI's). */
  static final class Failure extends RuntimeException {
    Failure(String sql, SQLException cause) {
      super(cause.getMessage() + " [statement: " + sql + "]", cause);
    }
  }

  /**
   * One use of a statement: bind, then execute once (which gives the statement back). A deferred
   * use records the values and hands them to its {@link PendingWrites} instead.
   */
  static final class Stmt {
    private final Handle handle;
    private final Sql sql;
    private final Connection conn;
    private final CachingStatementBuilder cache;
    private final PreparedStatement ps;
    private final PendingWrites later;
    private final int phase;
    private Object[] values;
    private int[] types;
    private boolean expectOneRow;

    private Stmt(Handle handle, Sql sql, PendingWrites later, int phase) {
      this.handle = handle;
      this.sql = sql;
      this.conn = handle.getConnection();
      this.later = later;
      this.phase = phase;
      StatementBuilder builder = handle.getStatementBuilder();
      this.cache = builder instanceof CachingStatementBuilder c ? c : null;
      if (later != null) {
        this.ps = null;
        int n = sql.parameterCount();
        this.values = new Object[n];
        this.types = new int[n];
        return;
      }
      try {
        this.ps = cache != null ? cache.borrow(conn, sql.text) : conn.prepareStatement(sql.text);
      } catch (SQLException e) {
        throw new Failure(sql.text, e);
      }
    }

    /**
     * Marks a write that must change exactly one row (a version-guarded update): deferred, it is
     * checked when it runs, and the batch fails if it changed none.
     */
    Stmt expectOneRow() {
      this.expectOneRow = true;
      return this;
    }

    /** Binds recorded values (see {@link PendingWrites}) and adds them to the batch. */
    Stmt addRecorded(Object[] recordedValues, int[] recordedTypes) {
      try {
        for (int i = 0; i < recordedValues.length; i++) {
          set(i + 1, recordedValues[i], recordedTypes[i]);
        }
        ps.addBatch();
        return this;
      } catch (SQLException e) {
        throw fail(e);
      }
    }

    private void set(int i, Object value, int type) throws SQLException {
      if (ps == null) {
        values[i - 1] = value;
        types[i - 1] = type;
      } else if (value == null) {
        ps.setNull(i, type);
      } else if (type == Types.VARCHAR) {
        ps.setString(i, (String) value);
      } else if (type == Types.BIGINT) {
        ps.setLong(i, (Long) value);
      } else {
        ps.setInt(i, (Integer) value);
      }
    }

    private int[] at(String name) {
      int[] p = sql.positions.get(name);
      if (p == null) {
        release();
        throw new IllegalArgumentException("no parameter :" + name + " in " + sql.text);
      }
      return p;
    }

    /** Whether the statement has a parameter {@code :name}. */
    boolean has(String name) {
      return sql.positions.containsKey(name);
    }

    Stmt str(String name, String value) {
      try {
        for (int i : at(name)) {
          set(i, value, Types.VARCHAR);
        }
        return this;
      } catch (SQLException e) {
        throw fail(e);
      }
    }

    Stmt lng(String name, Long value) {
      try {
        for (int i : at(name)) {
          set(i, value, Types.BIGINT);
        }
        return this;
      } catch (SQLException e) {
        throw fail(e);
      }
    }

    Stmt integer(String name, Integer value) {
      try {
        for (int i : at(name)) {
          set(i, value, Types.INTEGER);
        }
        return this;
      } catch (SQLException e) {
        throw fail(e);
      }
    }

    /**
     * Binds {@code values} to the list of {@link Sql#in}: one array parameter, or {@code list0 ..}
     * with the last value repeated to the end.
     */
    Stmt strs(String list, List<String> values) {
      if (has(list)) {
        try {
          // Planned with the values each time: a plan cached for the statement (PostgreSQL makes
          // one after five uses) would be made for whatever the tables held then, a sequential
          // scan while they were small.
          if (ps.isWrapperFor(PGStatement.class)) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
          }
          java.sql.Array array = conn.createArrayOf("text", values.toArray());
          for (int i : at(list)) {
            ps.setArray(i, array);
          }
          return this;
        } catch (SQLException e) {
          throw fail(e);
        }
      }
      for (int i = 0; i < values.size(); i++) {
        str(list + i, values.get(i));
      }
      for (int i = values.size(); !values.isEmpty() && has(list + i); i++) {
        str(list + i, values.get(values.size() - 1));
      }
      return this;
    }

    /** Adds the bound values to the batch. */
    Stmt add() {
      if (ps == null) {
        later.record(phase, sql, values, types, expectOneRow);
        values = new Object[values.length];
        types = new int[types.length];
        return this;
      }
      try {
        ps.addBatch();
        return this;
      } catch (SQLException e) {
        throw fail(e);
      }
    }

    /**
     * Runs the statement; a deferred one is recorded and reports no rows (nobody may count on it).
     */
    int execute() {
      if (ps == null) {
        later.record(phase, sql, values, types, expectOneRow);
        return expectOneRow ? 1 : 0;
      }
      try {
        return ps.executeUpdate();
      } catch (SQLException e) {
        throw fail(e);
      } finally {
        release();
      }
    }

    int[] executeBatch() {
      if (ps == null) {
        return new int[0];
      }
      try {
        return ps.executeBatch();
      } catch (SQLException e) {
        throw fail(e);
      } finally {
        release();
      }
    }

    <T> List<T> list(Row<T> row) {
      if (ps == null) {
        throw new IllegalStateException("a deferred write returns no rows: " + sql.text);
      }
      try {
        // execute, not executeQuery: UPDATE .. RETURNING is a query too.
        ps.execute();
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.getResultSet()) {
          while (rs != null && rs.next()) {
            out.add(row.map(rs));
          }
        }
        return out;
      } catch (SQLException e) {
        throw fail(e);
      } finally {
        release();
      }
    }

    <T> Optional<T> one(Row<T> row) {
      List<T> rows = list(row);
      if (rows.size() > 1) {
        throw new IllegalStateException("more than one row from " + sql.text);
      }
      return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    private Failure fail(SQLException e) {
      release();
      return new Failure(sql.text, e);
    }

    private boolean released;

    private void release() {
      if (released || ps == null) {
        return;
      }
      released = true;
      try {
        if (cache != null) {
          cache.giveBack(conn, sql.text, ps);
        } else {
          ps.close();
        }
      } catch (SQLException e) {
        // a statement that cannot be reset is closed by the cache; nothing else to do
      }
    }

    @SuppressWarnings("unused")
    Handle handle() {
      return handle;
    }
  }
}
