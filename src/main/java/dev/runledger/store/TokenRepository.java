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
            "INSERT INTO tokens (id, name, role, projects_json, token_hash, created_at, created_by)"
                + " VALUES (:id, :name, :role, :projects, :hash, :at, :by)")
        .bind("id", t.id())
        .bind("name", t.name())
        .bind("role", t.role().wire())
        .bind("projects", Json.write(t.projects()))
        .bind("hash", valueHash)
        .bind("at", Micros.of(t.createdAt()))
        .bind("by", t.createdBy())
        .execute();
  }

  /** The live token with this value hash. */
  public Optional<ApiToken> findByHash(String valueHash) {
    return h.createQuery("SELECT * FROM tokens WHERE token_hash = :hash AND revoked_at IS NULL")
        .bind("hash", valueHash)
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

  public int countLive() {
    return h.createQuery("SELECT COUNT(*) FROM tokens WHERE revoked_at IS NULL")
        .mapTo(Integer.class)
        .one();
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
        Rows.instant(rs, "revoked_at"));
  }
}
