package dev.runledger.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.queue.NodePresence;
import dev.runledger.model.Json;
import dev.runledger.model.NodeRecord;
import dev.runledger.model.Role;
import dev.runledger.model.Timestamps;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/** What operators and load balancers ask: liveness, readiness, the nodes, the metrics. */
final class OpsRoutes {
  private final ApiContext api;
  private final ApiMetrics metrics;

  OpsRoutes(ApiContext api, ApiMetrics metrics) {
    this.api = api;
    this.metrics = metrics;
  }

  void register(RouteTable routes) {
    routes.publicGet("/api/health", this::health);
    routes.publicGet("/api/ready", this::ready);
    routes.get("/api/nodes", Role.VIEWER, this::nodes);
    routes.get("/metrics", Role.VIEWER, this::metrics);
  }

  /** Liveness: the store answers. */
  private void health(Context ctx) {
    boolean ok = api.store().isHealthy();
    Responses.json(ctx, ok ? 200 : 503, Json.object().put("status", ok ? "ok" : "unavailable"));
  }

  /** Readiness: the store answers and has every migration this version knows. */
  private void ready(Context ctx) {
    boolean store = api.store().isHealthy();
    boolean migrated = store && api.store().isMigrated();
    ObjectNode body = Json.object();
    body.put("status", store && migrated ? "ready" : "not-ready");
    ObjectNode checks = body.putObject("checks");
    checks.put("store", store ? "ok" : "unreachable");
    checks.put("migrations", !store ? "unknown" : migrated ? "applied" : "pending");
    Responses.json(ctx, store && migrated ? 200 : 503, body);
  }

  /** The nodes seen in the last day, most recently started first, with whether each is live. */
  private void nodes(Context ctx) {
    Instant now = api.clock().instant();
    List<NodeRecord> nodes =
        api.store().read(tx -> tx.nodes().seenSince(now.minus(NodePresence.FORGET_AFTER)));
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    for (NodeRecord n : nodes) {
      items
          .addObject()
          .put("id", n.id())
          .put("name", n.name())
          .put("version", n.version())
          .put("startedAt", Timestamps.format(n.startedAt()))
          .put("lastSeen", Timestamps.format(n.lastSeen()))
          .put("live", NodePresence.live(n.lastSeen(), now))
          .put("slots", n.slots())
          .put("runningAttempts", n.running());
    }
    Responses.json(ctx, body);
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }
}
