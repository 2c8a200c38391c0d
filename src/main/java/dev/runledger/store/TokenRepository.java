package dev.runledger.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.runledger.model.ApiToken;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** API tokens, stored by the SHA-256 of their value. */
public final class TokenRepository {
  private final Handle h;

  TokenRepository(Handle h) {
    this.h = h;
  }

  public void insert(ApiToken t, String valueHash) {
    h.createUpdate(
            "INSERT INTO tokens (id, name, role, projects_json, token_hash, created_at,"
                + " created_by, expires_at, hint)"
                + " VALUES (:id, :name, :role, :projects, :hash, :at, :by, :expires, :hint)")
        .bind("id", t.id())
        .bind("name", t.name())
        .bind("role", t.role().wire())
        .bind("projects", Json.write(t.projects()))
        .bind("hash", valueHash)
        .bind("at", Micros.of(t.createdAt()))
        .bind("by", t.createdBy())
        .bind("expires", t.expiresAt() == null ? null : Micros.of(t.expiresAt()))
        .bind("hint", t.hint())
        .execute();
  }

  /** The live token with this value hash: not revoked, not expired at {@code now}. */
  public Optional<ApiToken> findByHash(String valueHash, Instant now) {
    return h.createQuery(
            "SELECT * FROM tokens WHERE token_hash = :hash AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > :now)")
        .bind("hash", valueHash)
        .bind("now", Micros.of(now))
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  public Optional<ApiToken> find(String id) {
    return h.createQuery("SELECT * FROM tokens WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  public List<ApiToken> list() {
    return h.createQuery("SELECT * FROM tokens ORDER BY id DESC").map((rs, ctx) -> map(rs)).list();
  }

  /** Tokens neither revoked nor expired at {@code now}. */
  public int countLive(Instant now) {
    return h.createQuery(
            "SELECT COUNT(*) FROM tokens WHERE revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > :now)")
        .bind("now", Micros.of(now))
        .mapTo(Integer.class)
        .one();
  }

  /** Records that a token was accepted at {@code at}. */
  public void used(String id, Instant at) {
    h.createUpdate("UPDATE tokens SET last_used_at = :at WHERE id = :id")
        .bind("id", id)
        .bind("at", Micros.of(at))
        .execute();
  }

  public boolean revoke(String id, Instant at) {
    return h.createUpdate(
                "UPDATE tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
            .bind("id", id)
            .bind("at", Micros.of(at))
            .execute()
        == 1;
  }

  private static ApiToken map(ResultSet rs) throws SQLException {
    String projects = rs.getString("projects_json");
    return new ApiToken(
        rs.getString("id"),
        rs.getString("name"),
        Role.fromWire(rs.getString("role")),
        projects == null
            ? null
            : Json.MAPPER.convertValue(Json.read(projects), new TypeReference<List<String>>() {}),
        Rows.instant(rs, "created_at"),
        rs.getString("created_by"),
        Rows.instant(rs, "revoked_at"),
        Rows.instant(rs, "expires_at"),
        Rows.instant(rs, "last_used_at"),
        rs.getString("hint"));
  }
}
