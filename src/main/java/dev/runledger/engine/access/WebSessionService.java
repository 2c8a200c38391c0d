package dev.runledger.engine.access;

import dev.runledger.audit.AuditLog;
import dev.runledger.model.ApiToken;
import dev.runledger.model.Principal;
import dev.runledger.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Web UI sessions: a person logs in with an API token and gets a random session value for a cookie.
 * The store keeps the value's SHA-256 and the token's id, never the token's value; a session lives
 * {@link #LIFE} at most, and never past its token's expiry or revocation.
 */
public final class WebSessionService {
  /** How long a session lives after login. */
  public static final Duration LIFE = Duration.ofHours(12);

  private final Store store;
  private final TokenService tokens;
  private final AuditLog audit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public WebSessionService(Store store, TokenService tokens, AuditLog audit, Clock clock) {
    this.store = store;
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  /** A session just made: its cookie value (shown once) and how long it lives. */
  public record Started(String value, Duration life) {}

  /** A live session: who it is and the CSRF token its forms carry. */
  public record Session(Principal principal, String csrf, String tokenId) {}

  /** Starts a session for a live token's value; empty when the token is unknown or not live. */
  public Optional<Started> login(String tokenValue) {
    Optional<ApiToken> token = tokens.live(tokenValue);
    if (token.isEmpty()) {
      return Optional.empty();
    }
    ApiToken t = token.get();
    Instant now = clock.instant();
    Instant expires = now.plus(LIFE);
    if (t.expiresAt() != null && t.expiresAt().isBefore(expires)) {
      expires = t.expiresAt();
    }
    String value = random(32);
    String csrf = random(24);
    Instant end = expires;
    store.writeAndWait(
        tx -> {
          tx.webSessions().insert(TokenService.hash(value), t.id(), csrf, now, end);
          tx.webSessions().deleteExpired(now);
          audit.event("session.started", t.name()).target(t.id()).append(tx);
          return null;
        });
    return Optional.of(new Started(value, Duration.between(now, end)));
  }

  /** The live session with this cookie value, if any. */
  public Optional<Session> find(String value) {
    if (value == null || value.isBlank() || value.length() > 100) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return store
        .read(tx -> tx.webSessions().find(TokenService.hash(value), now))
        .map(f -> new Session(TokenService.principal(f.token()), f.csrf(), f.token().id()));
  }

  /** Ends the session with this cookie value (nothing when there is none). */
  public void logout(String value) {
    Optional<Session> session = find(value);
    if (session.isEmpty()) {
      return;
    }
    store.writeAndWait(
        tx -> {
          tx.webSessions().delete(TokenService.hash(value));
          audit
              .event("session.ended", session.get().principal().name())
              .target(session.get().tokenId())
              .append(tx);
          return null;
        });
  }

  private String random(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
