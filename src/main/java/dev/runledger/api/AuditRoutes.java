package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.audit.AuditVerifier;
import dev.runledger.engine.RunService;
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
  private static final int EXPORT_PAGE = 1000;

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
    String project = Requests.project(ctx);
    AuditFilter filter =
        new AuditFilter(
            project,
            Times.parse("since", ctx.queryParam("since")),
            Times.parse("until", ctx.queryParam("until")),
            ctx.queryParam("actor"),
            ctx.queryParam("type"),
            ctx.queryParam("runId"));
    String format = ctx.queryParam("format");
    if (format != null) {
      export(ctx, filter, format);
      return;
    }
    int limit = Requests.limit(ctx);
    Long before = position(ctx.queryParam("cursor"));
    List<StoredAuditEvent> events =
        api.store().read(tx -> tx.audit().list(filter, before, limit + 1));
    String next = events.size() > limit ? String.valueOf(events.get(limit - 1).position()) : null;
    List<JsonNode> items =
        events.stream().limit(limit).map(e -> (JsonNode) Views.audit(e.event())).toList();
    Responses.json(ctx, Views.page(items, next));
  }

  private void export(Context ctx, AuditFilter filter, String format) {
    if (!format.equals("jsonl") && !format.equals("csv")) {
      throw new InvalidInputException("format", "format is jsonl or csv");
    }
    StringBuilder out = new StringBuilder();
    if (format.equals("csv")) {
      out.append("seq,id,at,project,actor,type,runId,taskName,target,details,prevHash,hash\n");
    }
    Long before = null;
    while (true) {
      Long cursor = before;
      List<StoredAuditEvent> page =
          api.store().read(tx -> tx.audit().list(filter, cursor, EXPORT_PAGE));
      for (StoredAuditEvent stored : page) {
        AuditEvent e = stored.event();
        if (format.equals("jsonl")) {
          out.append(Json.write(Views.audit(e))).append('\n');
        } else {
          out.append(csv(e.seq() == null ? "" : e.seq().toString()))
              .append(',')
              .append(csv(e.id()))
              .append(',')
              .append(csv(Times.format(e.at())))
              .append(',')
              .append(csv(e.project()))
              .append(',')
              .append(csv(e.actor()))
              .append(',')
              .append(csv(e.type()))
              .append(',')
              .append(csv(e.runId()))
              .append(',')
              .append(csv(e.taskName()))
              .append(',')
              .append(csv(e.target()))
              .append(',')
              .append(csv(Json.write(e.details())))
              .append(',')
              .append(csv(e.prevHash()))
              .append(',')
              .append(csv(e.hash()))
              .append('\n');
        }
        before = stored.position();
      }
      if (page.size() < EXPORT_PAGE) {
        break;
      }
    }
    ctx.contentType(format.equals("csv") ? "text/csv; charset=utf-8" : "application/x-ndjson")
        .result(out.toString());
  }

  private static String csv(String value) {
    if (value == null) {
      return "";
    }
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }

  private void verify(Context ctx) {
    api.sealer().sealNow();
    AuditVerifier.Verification v = api.verifier().verify();
    var out = Json.object();
    out.put("ok", v.ok());
    out.put("events", v.events());
    out.put("headHash", v.headHash());
    if (v.firstInvalidSeq() == null) {
      out.putNull("firstInvalidSeq");
    } else {
      out.put("firstInvalidSeq", v.firstInvalidSeq());
    }
    Responses.json(ctx, out);
  }

  private void forRun(Context ctx) {
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
    Responses.json(ctx, Views.page(items, null));
  }

  private static Long position(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("cursor", "not a cursor this listing returned");
    }
  }
}
