package dev.runledger.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import dev.runledger.store.ReportFilter;
import dev.runledger.store.ReportRepository.Decision;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code GET /api/reports/runs}: per workflow over a period (runs created in it, optionally of one
 * workflow, trigger type or labels), runs by status, tasks by outcome (also per step), actions
 * invoked, subjects matched, approvals decided (each with who and why), retries, tasks recovered
 * after a retry and cancellations, with totals; JSON or {@code ?format=csv}.
 */
final class ReportRoutes {
  private final ApiContext api;

  ReportRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    routes.get("/api/reports/runs", Role.VIEWER, this::runs);
  }

  private void runs(Context ctx) {
    Requests.onlyParams(ctx, "from", "to", "groupBy", "format", "workflow", "label", "trigger");
    String project = Requests.project(ctx);
    Instant from = RunReport.bound("from", ctx.queryParam("from"), false);
    Instant to = RunReport.bound("to", ctx.queryParam("to"), true);
    if (!to.isAfter(from)) {
      throw new InvalidInputException("to", "the period ends before it starts");
    }
    String groupBy = Objects.requireNonNullElse(ctx.queryParam("groupBy"), "workflow");
    if (!groupBy.equals("workflow")) {
      throw new InvalidInputException("groupBy", "reports group by workflow");
    }
    String format = ctx.queryParam("format");
    if (format != null && !format.equals("json") && !format.equals("csv")) {
      throw new InvalidInputException("format", "format is json or csv");
    }
    ReportFilter filter =
        new ReportFilter(
            project,
            from,
            to,
            ctx.queryParam("workflow"),
            RunRoutes.triggerType(ctx.queryParam("trigger")),
            RunRoutes.labels(ctx));
    RunReport report = RunReport.of(api.store(), filter);
    if ("csv".equals(format)) {
      ctx.contentType("text/csv; charset=utf-8").result(report.csv());
      return;
    }
    ObjectNode out = Json.object();
    out.put("project", project);
    out.put("from", Times.format(from));
    out.put("to", Times.format(to));
    out.put("groupBy", groupBy);
    ObjectNode filters = out.putObject("filters");
    filters.put("workflow", filter.workflow());
    filters.put("trigger", filter.triggerType());
    filters.set("labels", Json.MAPPER.valueToTree(filter.labels()));
    ArrayNode items = out.putArray("items");
    for (ReportGroup g : report.groups()) {
      ObjectNode item = g.json();
      ArrayNode steps = item.putArray("steps");
      g.steps.values().forEach(step -> steps.add(step.json()));
      items.add(item);
    }
    out.set("totals", report.totals().json());
    ArrayNode approvals = out.putArray("approvals");
    for (Decision d : report.decisions()) {
      ObjectNode a = approvals.addObject();
      a.put("id", d.id());
      a.put("workflow", d.workflow());
      a.put("action", d.action());
      a.put("runId", d.runId());
      a.put("taskName", d.taskName());
      a.put("decision", d.decision());
      a.put("decidedBy", d.decidedBy());
      a.put("decidedAt", Times.format(d.decidedAt()));
      a.put("comment", d.comment());
    }
    Responses.json(ctx, out);
  }
}
