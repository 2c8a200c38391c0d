package dev.runledger.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Secrets of a project. Values are read only by the engine, never by the API. */
public final class SecretRepository {
  private final Handle h;

  SecretRepository(Handle h) {
    this.h = h;
  }

  /** Sets a secret; returns true when it is new. */
  public boolean put(String project, String name, String value, Instant at, String by) {
    int updated =
        h.createUpdate(
                "UPDATE secrets SET value = :v, updated_at = :at, updated_by = :by"
                    + " WHERE project = :p AND name = :n")
            .bind("p", project)
            .bind("n", name)
            .bind("v", value)
            .bind("at", Micros.of(at))
            .bind("by", by)
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO secrets (project, name, value, updated_at, updated_by)"
                  + " VALUES (:p, :n, :v, :at, :by)")
          .bind("p", project)
          .bind("n", name)
          .bind("v", value)
          .bind("at", Micros.of(at))
          .bind("by", by)
          .execute();
      return true;
    }
    return false;
  }

  public boolean delete(String project, String name) {
    return h.createUpdate("DELETE FROM secrets WHERE project = :p AND name = :n")
            .bind("p", project)
            .bind("n", name)
            .execute()
        == 1;
  }

  /** Names with when and by whom each was last set. */
  public List<Map<String, Object>> list(String project) {
    return h.createQuery(
            "SELECT name, updated_at, updated_by FROM secrets WHERE project = :p ORDER BY name")
        .bind("p", project)
        .map(
            (rs, ctx) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("name", rs.getString("name"));
              row.put("updatedAt", Rows.instant(rs, "updated_at"));
              row.put("updatedBy", rs.getString("updated_by"));
              return row;
            })
        .list();
  }

  /** Every secret value of the project, by name (for templates and masking). */
  public Map<String, String> values(String project) {
    Map<String, String> values = new LinkedHashMap<>();
    h.createQuery("SELECT name, value FROM secrets WHERE project = :p")
        .bind("p", project)
        .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("value")))
        .forEach(e -> values.put(e.getKey(), e.getValue()));
    return values;
  }

  /** Every stored value of every project, as {project, name, value} (for re-encryption). */
  public List<String[]> allValues() {
    return h.createQuery("SELECT project, name, value FROM secrets ORDER BY project, name")
        .map(
            (rs, ctx) ->
                new String[] {rs.getString("project"), rs.getString("name"), rs.getString("value")})
        .list();
  }

  /** Replaces a stored value as it is (its encrypted form), keeping who set it and when. */
  public void replaceStored(String project, String name, String stored) {
    h.createUpdate("UPDATE secrets SET value = :v WHERE project = :p AND name = :n")
        .bind("p", project)
        .bind("n", name)
        .bind("v", stored)
        .execute();
  }
}
