package dev.runledger.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * Signing in with an API token ({@code /login}) and out ({@code POST /logout}). After login the
 * browser goes back to the page it asked for ({@code next}), which must be a path on this server.
 */
final class LoginPages {
  private final WebAuth auth;
  private final Templates templates;

  LoginPages(WebAuth auth, Templates templates) {
    this.auth = auth;
    this.templates = templates;
  }

  /** Login and logout need no session; logout's CSRF check is its own (a session may be gone). */
  void register(RoutesConfig routes) {
    routes.get("/login", this::form);
    routes.post("/login", this::login);
    routes.post("/logout", this::logout);
  }

  private void form(Context ctx) {
    WebHeaders.apply(ctx);
    if (auth.session(ctx).isPresent()) {
      ctx.redirect(next(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
      return;
    }
    templates.render(ctx, "login.jte", new LoginPage(next(ctx.queryParam("next")), null, false));
  }

  private void login(Context ctx) {
    WebHeaders.apply(ctx);
    String next = next(ctx.formParam("next"));
    if (!sameOrigin(ctx)) {
      templates.render(
          ctx, 403, "login.jte", new LoginPage(next, "sign in from this server's own page", true));
      return;
    }
    String token = ctx.formParam("token");
    if (token == null || token.isBlank()) {
      templates.render(ctx, 400, "login.jte", new LoginPage(next, "enter an API token", true));
      return;
    }
    if (!auth.login(ctx, token.trim())) {
      templates.render(
          ctx,
          401,
          "login.jte",
          new LoginPage(next, "that token is unknown, revoked or expired", true));
      return;
    }
    ctx.redirect(next, HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) {
    WebHeaders.apply(ctx);
    var session = auth.session(ctx);
    if (session.isPresent() && !WebAuth.csrfMatches(ctx, session.get())) {
      ctx.status(403).contentType("text/plain").result("this form did not carry its CSRF token");
      return;
    }
    auth.logout(ctx);
    ctx.redirect("/login", HttpStatus.SEE_OTHER);
  }

  /**
   * A login form posted from another site (login CSRF) is refused: a browser names the page's
   * origin on a POST, and it must be this server.
   */
  private static boolean sameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || origin.equals("null")) {
      return origin == null;
    }
    String host = ctx.header("Host");
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  /** Where to go after login: a path on this server, never another site. */
  static String next(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/\\")
        || next.startsWith("/login")) {
      return "/runs";
    }
    return next;
  }
}
