package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.engine.run.TriggerRequest;
import dev.runledger.engine.run.TriggerResult;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.RequestFingerprint;
import dev.runledger.model.Role;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Starting runs: {@code POST /api/actions/{name}/trigger}, the workflow triggers, and firing a
 * workflow's schedule now.
 */
final class TriggerRoutes {
  private static final Set<String> SOURCES = Set.of("api", "cli", "web");
  private static final Set<String> BODY_KEYS = Set.of("parameters", "labels");

  private final ApiContext api;
  private final TriggerRateLimiter limiter;

  TriggerRoutes(ApiContext api, TriggerRateLimiter limiter) {
    this.api = api;
    this.limiter = limiter;
  }

  void register(RouteTable routes) {
    routes.post(
        "/api/actions/{name}/trigger",
        Role.OPERATOR,
        ctx -> trigger(ctx, ctx.pathParam("name"), api.runs()::triggerAction));
    routes.post(
        "/api/workflows/{name}/trigger",
        Role.OPERATOR,
        ctx -> trigger(ctx, ctx.pathParam("name"), api.runs()::triggerWorkflow));
    routes.post(
        "/api/workflows/by-hash/{definitionHash}/trigger",
        Role.OPERATOR,
        ctx ->
            trigger(ctx, hash(ctx.pathParam("definitionHash")), api.runs()::triggerWorkflowByHash));
    routes.post("/api/workflows/{name}/schedules/{index}/fire", Role.OPERATOR, this::fireNow);
  }

  /** Fires a schedule now: a trigger of the operator's, so it counts against their limit. */
  private void fireNow(Context ctx) {
    String project = Requests.project(ctx);
    Principal principal = Auth.principal(ctx);
    int index = scheduleIndex(ctx.pathParam("index"));
    JsonNode body = Requests.jsonObject(ctx);
    if (body.size() > 0) {
      throw new InvalidInputException(
          body.fieldNames().next(),
          "unknown key; a schedule fires with its own parameters, so the body is empty");
    }
    limiter.acquire(principal);
    var run =
        api.scheduler()
            .fireNow(project, ctx.pathParam("name"), index, principal.name(), source(ctx));
    RunRoutes.respondRun(api, ctx, 202, run);
  }

  /** A schedule is named by its position in {@code on.schedule}, from 0. */
  private static int scheduleIndex(String text) {
    if (!text.matches("\\d{1,4}")) {
      throw new InvalidInputException(
          "index", "a schedule is named by its position in on.schedule: 0, 1, ...");
    }
    return Integer.parseInt(text);
  }

  private static String hash(String text) {
    String hash = text.startsWith("sha256:") ? text : "sha256:" + text;
    if (!hash.matches("sha256:[0-9a-f]{64}")) {
      throw new InvalidInputException(
          "definitionHash", "a definition hash is sha256: and 64 lower-case hex digits");
    }
    return hash;
  }

  private void trigger(
      Context ctx, String name, java.util.function.Function<TriggerRequest, TriggerResult> start) {
    String project = Requests.project(ctx);
    Principal principal = Auth.principal(ctx);
    JsonNode body = Requests.jsonObject(ctx);
    body.fieldNames()
        .forEachRemaining(
            key -> {
              if (!BODY_KEYS.contains(key)) {
                throw new InvalidInputException(
                    key, "unknown key; the body takes parameters and labels");
              }
            });
    String key = ctx.header("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 255)) {
      throw new InvalidInputException(
          "Idempotency-Key", "an idempotency key has 1 to 255 characters");
    }
    limiter.acquire(principal);
    TriggerResult result =
        start.apply(
            new TriggerRequest(
                project,
                name,
                body.get("parameters"),
                body.get("labels"),
                principal,
                source(ctx),
                key,
                key == null ? null : fingerprint(ctx, body)));
    RunRoutes.respondRun(api, ctx, result.replayed() ? 200 : 202, result.run());
    if (result.replayed()) {
      ctx.header("Idempotent-Replayed", "true");
    }
  }

  /**
   * What the key is bound to: the route as requested (with its names) and a digest of the body as
   * parsed, with object keys sorted, so that whitespace or key order does not make a new body.
   */
  private static RequestFingerprint fingerprint(Context ctx, JsonNode body) {
    String route = "POST " + ctx.path();
    return new RequestFingerprint(
        route, "sha256:" + Canonical.sha256(Json.write(Canonical.sorted(body))));
  }

  private static String source(Context ctx) {
    String s = ctx.header("Runledger-Source");
    return s != null && SOURCES.contains(s) ? s : "api";
  }
}
