package dev.runledger.web;

import io.javalin.http.Context;

/**
 * The security headers of every page: a Content-Security-Policy allowing only the server's own
 * scripts and styles (no inline script or style, no eval), no framing, no sniffing, and no referrer
 * beyond the origin.
 */
final class WebHeaders {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private WebHeaders() {}

  static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store");
  }
}
