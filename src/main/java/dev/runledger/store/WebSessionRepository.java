package dev.runledger.store;

import dev.runledger.model.ApiToken;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Web UI sessions, stored by the SHA-256 of their cookie value. */
public final class WebSessionRepository {
  /** A live session: its token (live too) and the CSRF token of its forms. */
  public record Found(ApiToken token, String csrf, Instant expiresAt) {}

  private final Handle h;

  WebSessionRepository(Handle h) {
    this.h = h;
  }

  public void insert(String idHash, String tokenId, String csrf, Instant at, Instant expires) {
    h.createUpdate(
            "INSERT INTO web_sessions (id_hash, token_id, csrf, created_at, expires_at)"
                + " VALUES (:id, :token, :csrf, :at, :expires)")
        .bind("id", idHash)
        .bind("token", tokenId)
        .bind("csrf", csrf)
        .bind("at", Micros.of(at))
        .bind("expires", Micros.of(expires))
        .execute();
  }

  /**
   * The session with this id hash, if it and its token are live at {@code now}: a revoked or
   * expired token ends its sessions.
   */
  public Optional<Found> find(String idHash, Instant now) {
    Optional<String[]> row =
        h.createQuery(
                "SELECT token_id, csrf, expires_at FROM web_sessions"
                    + " WHERE id_hash = :id AND expires_at > :now")
            .bind("id", idHash)
            .bind("now", Micros.of(now))
            .map(
                (rs, ctx) ->
                    new String[] {
                      rs.getString("token_id"), rs.getString("csrf"), rs.getString("expires_at")
                    })
            .findOne();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    Optional<ApiToken> token = new TokenRepository(h).find(row.get()[0]);
    return token
        .filter(t -> t.revokedAt() == null)
        .filter(t -> t.expiresAt() == null || t.expiresAt().isAfter(now))
        .map(t -> new Found(t, row.get()[1], Micros.toInstant(Long.parseLong(row.get()[2]))));
  }

  public void delete(String idHash) {
    h.createUpdate("DELETE FROM web_sessions WHERE id_hash = :id").bind("id", idHash).execute();
  }

  /** Removes sessions that expired before {@code now}; returns how many. */
  public int deleteExpired(Instant now) {
    return h.createUpdate("DELETE FROM web_sessions WHERE expires_at <= :now")
        .bind("now", Micros.of(now))
        .execute();
  }
}
