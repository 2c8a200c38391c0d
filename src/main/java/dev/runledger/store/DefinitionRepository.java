package dev.runledger.store;

import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Actions and workflows, with every revision kept. */
public final class DefinitionRepository {
  private static final String SELECT =
      "SELECT r.*, d.archived_at FROM definition_revisions r JOIN definitions d"
          + " ON d.project = r.project AND d.kind = r.kind AND d.name = r.name ";

  private final Handle h;

  DefinitionRepository(Handle h) {
    this.h = h;
  }

  /**
   * The number of the latest revision of a definition that is not archived, read without its body
   * (with {@link #revision}, which never changes, a caller can cache the rest).
   */
  public Optional<Integer> latestActiveRevision(String project, String kind, String name) {
    return Sql.of(
            "SELECT latest_revision FROM definitions WHERE project = :p AND kind = :k AND name = :n"
                + " AND archived_at IS NULL")
        .on(h)
        .str("p", project)
        .str("k", kind)
        .str("n", name)
        .one(rs -> rs.getInt(1));
  }

  /** The latest revision, archived or not. */
  public Optional<DefinitionRevision> latest(String project, String kind, String name) {
    return h.createQuery(
            SELECT
                + "WHERE r.project = :p AND r.kind = :k AND r.name = :n"
                + " AND r.revision = d.latest_revision")
        .bind("p", project)
        .bind("k", kind)
        .bind("n", name)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  public Optional<DefinitionRevision> revision(
      String project, String kind, String name, int revision) {
    return h.createQuery(
            SELECT + "WHERE r.project = :p AND r.kind = :k AND r.name = :n AND r.revision = :r")
        .bind("p", project)
        .bind("k", kind)
        .bind("n", name)
        .bind("r", revision)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** The revision with this definition hash (the lowest revision if content repeats). */
  public Optional<DefinitionRevision> byHash(String project, String kind, String hash) {
    return h.createQuery(
            SELECT
                + "WHERE r.project = :p AND r.kind = :k AND r.definition_hash = :hash"
                + " ORDER BY r.revision LIMIT 1")
        .bind("p", project)
        .bind("k", kind)
        .bind("hash", hash)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  /** Latest revisions of a kind, by name, after {@code afterName}. */
  public List<DefinitionRevision> listLatest(
      String project, String kind, String afterName, int limit) {
    return h.createQuery(
            SELECT
                + "WHERE r.project = :p AND r.kind = :k AND r.revision = d.latest_revision"
                + " AND r.name > :after ORDER BY r.name LIMIT :limit")
        .bind("p", project)
        .bind("k", kind)
        .bind("after", afterName == null ? "" : afterName)
        .bind("limit", limit)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** Revisions of one definition, newest first, below {@code beforeRevision}. */
  public List<DefinitionRevision> revisions(
      String project, String kind, String name, int beforeRevision, int limit) {
    return h.createQuery(
            SELECT
                + "WHERE r.project = :p AND r.kind = :k AND r.name = :n AND r.revision < :before"
                + " ORDER BY r.revision DESC LIMIT :limit")
        .bind("p", project)
        .bind("k", kind)
        .bind("n", name)
        .bind("before", beforeRevision)
        .bind("limit", limit)
        .map((rs, ctx) -> map(rs))
        .list();
  }

  /** Stores a new revision and makes it the latest (and un-archives the definition). */
  public void insertRevision(DefinitionRevision rev) {
    int updated =
        h.createUpdate(
                "UPDATE definitions SET latest_revision = :r, archived_at = NULL, archived_by = NULL"
                    + " WHERE project = :p AND kind = :k AND name = :n")
            .bind("p", rev.project())
            .bind("k", rev.kind())
            .bind("n", rev.name())
            .bind("r", rev.revision())
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO definitions (project, kind, name, latest_revision)"
                  + " VALUES (:p, :k, :n, :r)")
          .bind("p", rev.project())
          .bind("k", rev.kind())
          .bind("n", rev.name())
          .bind("r", rev.revision())
          .execute();
    }
    h.createUpdate(
            "INSERT INTO definition_revisions"
                + " (project, kind, name, revision, definition_hash, body, created_at, created_by)"
                + " VALUES (:p, :k, :n, :r, :hash, :body, :at, :by)")
        .bind("p", rev.project())
        .bind("k", rev.kind())
        .bind("n", rev.name())
        .bind("r", rev.revision())
        .bind("hash", rev.definitionHash())
        .bind("body", Json.write(rev.definition()))
        .bind("at", Micros.of(rev.createdAt()))
        .bind("by", rev.createdBy())
        .execute();
  }

  /** Marks a definition archived; returns false if it does not exist. */
  public boolean archive(String project, String kind, String name, Instant at, String by) {
    return h.createUpdate(
                "UPDATE definitions SET archived_at = :at, archived_by = :by"
                    + " WHERE project = :p AND kind = :k AND name = :n")
            .bind("p", project)
            .bind("k", kind)
            .bind("n", name)
            .bind("at", Micros.of(at))
            .bind("by", by)
            .execute()
        > 0;
  }

  private static DefinitionRevision map(ResultSet rs) throws SQLException {
    return new DefinitionRevision(
        rs.getString("project"),
        rs.getString("kind"),
        rs.getString("name"),
        rs.getInt("revision"),
        rs.getString("definition_hash"),
        Rows.json(rs, "body"),
        Rows.instant(rs, "created_at"),
        rs.getString("created_by"),
        Rows.instant(rs, "archived_at"));
  }
}
