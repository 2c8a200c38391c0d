package dev.runledger.web;

import dev.runledger.api.AccessLog;
import dev.runledger.engine.access.WebSessionService;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The session cookie of the web UI: HttpOnly, SameSite=Strict, Secure when the request came over
 * HTTPS (directly or through a proxy that says so), and the CSRF check of state-changing forms.
 */
final class WebAuth {
  static final String COOKIE = "runledger_session";
  static final String CSRF_FIELD = "_csrf";
  private static final String SESSION = "runledger.web.session";

  private final WebSessionService sessions;

  WebAuth(WebSessionService sessions) {
    this.sessions = sessions;
  }

  /** The request's live session, if it carries one. */
  Optional<WebSession> session(Context ctx) {
    WebSession cached = ctx.attribute(SESSION);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<WebSession> found =
        sessions.find(ctx.cookie(COOKIE)).map(s -> new WebSession(s.principal(), s.csrf()));
    found.ifPresent(
        s -> {
          ctx.attribute(SESSION, s);
          AccessLog.identify(ctx, s.principal().name());
        });
    return found;
  }

  /** Starts a session for a token value; false when the token is not live. */
  boolean login(Context ctx, String token) {
    Optional<WebSessionService.Started> started = sessions.login(token);
    if (started.isEmpty()) {
      return false;
    }
    Cookie cookie = new Cookie(COOKIE, started.get().value());
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setSecure(secure(ctx));
    cookie.setPath("/");
    cookie.setMaxAge((int) Math.max(1, started.get().life().toSeconds()));
    ctx.cookie(cookie);
    return true;
  }

  void logout(Context ctx) {
    sessions.logout(ctx.cookie(COOKIE));
    Cookie gone = new Cookie(COOKIE, "");
    gone.setHttpOnly(true);
    gone.setSameSite(SameSite.STRICT);
    gone.setSecure(secure(ctx));
    gone.setPath("/");
    gone.setMaxAge(0);
    ctx.cookie(gone);
  }

  /**
   * Whether a state-changing request carries the session's CSRF token: in the form field {@code
   * _csrf}, or in the {@code X-CSRF-Token} header (htmx requests).
   */
  static boolean csrfMatches(Context ctx, WebSession session) {
    String sent = ctx.header("X-CSRF-Token");
    if (sent == null) {
      sent = ctx.formParam(CSRF_FIELD);
    }
    return sent != null
        && MessageDigest.isEqual(
            sent.getBytes(StandardCharsets.UTF_8), session.csrf().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean secure(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }
}
