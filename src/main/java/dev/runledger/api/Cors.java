package dev.runledger.api;

import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * Cross-origin access for browser clients on other origins, through Javalin's CORS plugin: off
 * unless {@code serve --cors-origin} names origins. Credentials (cookies) are never allowed: the
 * API authenticates by bearer token, so a page on another origin must hold one.
 */
final class Cors {
  /** The response headers a browser client may read besides the CORS-safelisted ones. */
  static final List<String> EXPOSED =
      List.of(
          "ETag",
          "Link",
          "Location",
          "Retry-After",
          "Idempotent-Replayed",
          "WWW-Authenticate",
          "Allow");

  private Cors() {}

  static void configure(JavalinConfig config, List<String> origins) {
    if (origins.isEmpty()) {
      return;
    }
    config.bundledPlugins.enableCors(
        cors ->
            cors.addRule(
                rule -> {
                  rule.path = "/api/*";
                  rule.allowCredentials = false;
                  if (origins.contains("*")) {
                    rule.anyHost();
                  } else {
                    rule.allowHost(
                        origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
                  }
                  EXPOSED.forEach(rule::exposeHeader);
                }));
  }
}
