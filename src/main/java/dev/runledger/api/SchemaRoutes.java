package dev.runledger.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/schemas/definition.json}: the JSON Schema of action and workflow definitions (the
 * repository's {@code schemas/definition.json}), public as the OpenAPI document is, so that editors
 * can fetch it without a token.
 */
final class SchemaRoutes {
  static final String DEFINITION = "/schemas/definition.json";

  private final String definition = resource(DEFINITION);

  void register(RouteTable routes) {
    routes.publicGet(
        "/api" + DEFINITION,
        ctx -> {
          ctx.header("Cache-Control", "public, max-age=3600");
          ctx.contentType("application/schema+json").result(definition);
        });
  }

  private static String resource(String name) {
    try (InputStream in = SchemaRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
