package dev.runledger.api;

import dev.runledger.engine.access.TokenService;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import io.javalin.http.Context;

/** Bearer-token authentication and role checks for every protected route. */
final class Auth {
  private static final String PRINCIPAL = "runledger.principal";

  private final TokenService tokens;

  Auth(TokenService tokens) {
    this.tokens = tokens;
  }

  /** Authenticates the request and checks it holds {@code role}: 401 or 403 otherwise. */
  void require(Context ctx, Role role) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiException.unauthorized("send an API token as 'Authorization: Bearer <token>'");
    }
    Principal principal =
        tokens
            .authenticate(header.substring(7).trim())
            .orElseThrow(() -> ApiException.unauthorized("the token is unknown or revoked"));
    if (!principal.has(role)) {
      throw ApiException.forbidden(
          "this needs the role " + role.wire() + "; the token has " + principal.role().wire());
    }
    ctx.attribute(PRINCIPAL, principal);
    AccessLog.identify(ctx, principal.name());
  }

  static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new IllegalStateException("route without authentication");
    }
    return p;
  }
}
