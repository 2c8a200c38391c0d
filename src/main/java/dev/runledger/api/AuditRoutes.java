package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.audit.AuditVerifier;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.AuditEvent;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import dev.runledger.store.AuditFilter;
import dev.runledger.store.StoredAuditEvent;
import io.javalin.http.Context;
import java.util.List;

/** The audit trail: listing and export, a run's timeline, and chain verification. */
final class AuditRoutes {
  private final ApiContext api;

  AuditRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    routes.get("/api/audit", Role.VIEWER, this::list);
    routes.get("/api/audit/verify", Role.VIEWER, this::verify);
    routes.get("/api/runs/{id}/audit", Role.VIEWER, this::forRun);
  }

  private void list(Context ctx) {
    Requests.onlyListParams(ctx, "since", "until", "actor", "type", "runId", "format", "order");
    String project = Requests.project(ctx);
    AuditFilter filter =
        new AuditFilter(
            project,
            Times.parse("since", ctx.queryParam("since")),
            Times.parse("until", ctx.queryParam("until")),
            ctx.queryParam("actor"),
            ctx.queryParam("type"),
            ctx.queryParam("runId"),
            // the system scope (tokens, shared artifact bytes) is for principals of every project
            Auth.principal(ctx).projects() == null);
    String format = ctx.queryParam("format");
    // A page is newest first, as every list; an export is oldest first, the chain's order
    boolean oldestFirst = oldestFirst(ctx.queryParam("order"), format != null);
    if (format != null) {
      new AuditTrail(api.store()).send(ctx, filter, format, oldestFirst);
      return;
    }
    int limit = Requests.limit(ctx);
    Long cursor = AuditTrail.position(ctx.queryParam("cursor"));
    List<StoredAuditEvent> events =
        api.store().read(tx -> tx.audit().list(filter, cursor, limit + 1, oldestFirst));
    String next = events.size() > limit ? String.valueOf(events.get(limit - 1).position()) : null;
    List<JsonNode> items =
        events.stream().limit(limit).map(e -> (JsonNode) Views.audit(e.event())).toList();
    Responses.page(ctx, items, next);
  }

  private static boolean oldestFirst(String order, boolean export) {
    if (order == null) {
      return export;
    }
    return switch (order) {
      case "asc" -> true;
      case "desc" -> false;
      default -> throw new InvalidInputException("order", "order is asc (oldest first) or desc");
    };
  }

  private void verify(Context ctx) {
    Requests.onlyParams(ctx, "anchorSeq", "anchorHash");
    String seqText = ctx.queryParam("anchorSeq");
    String anchorHash = ctx.queryParam("anchorHash");
    Long anchorSeq = null;
    if (seqText != null || anchorHash != null) {
      if (seqText == null || anchorHash == null) {
        throw new InvalidInputException(
            seqText == null ? "anchorSeq" : "anchorHash",
            "an anchor is both anchorSeq and anchorHash");
      }
      try {
        anchorSeq = Long.parseLong(seqText);
      } catch (NumberFormatException e) {
        throw new InvalidInputException("anchorSeq", "a chain position: a positive integer");
      }
      if (anchorSeq < 1) {
        throw new InvalidInputException("anchorSeq", "a chain position: a positive integer");
      }
    }
    api.sealer().sealNow();
    AuditVerifier.Verification v = api.verifier().verify(anchorSeq, anchorHash);
    var out = Json.object();
    out.put("ok", v.ok());
    out.put("events", v.events());
    out.put("headSeq", v.headSeq());
    out.put("headHash", v.headHash());
    if (anchorSeq != null) {
      var anchor = out.putObject("anchor");
      anchor.put("seq", anchorSeq);
      anchor.put("hash", anchorHash);
      anchor.put("ok", v.anchorOk());
    }
    if (v.firstInvalidSeq() == null) {
      out.putNull("firstInvalidSeq");
    } else {
      out.put("firstInvalidSeq", v.firstInvalidSeq());
    }
    Responses.json(ctx, out);
  }

  private void forRun(Context ctx) {
    Requests.onlyListParams(ctx);
    String project = Requests.project(ctx);
    String runId = ctx.pathParam("id");
    List<AuditEvent> events =
        api.store()
            .read(
                tx -> {
                  RunService.findRun(tx, project, runId);
                  return tx.audit().forRun(runId);
                });
    List<JsonNode> items = events.stream().map(e -> (JsonNode) Views.audit(e)).toList();
    WholeListPages.byOffset(ctx, items);
  }
}
