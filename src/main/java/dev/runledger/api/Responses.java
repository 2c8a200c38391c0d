package dev.runledger.api;

import dev.runledger.model.Json;
import io.javalin.http.Context;

/** Writes JSON responses. */
final class Responses {
  private Responses() {}

  static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  static void json(Context ctx, Object body) {
    json(ctx, 200, body);
  }
}
