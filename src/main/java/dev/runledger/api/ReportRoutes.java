package dev.runledger.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.ReportFilter;
import dev.runledger.store.ReportRepository.Count;
import dev.runledger.store.ReportRepository.Decision;
import dev.runledger.store.ReportRepository.RunSums;
import dev.runledger.store.ReportRepository.StepCount;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
    Instant from = bound("from", ctx.queryParam("from"), false);
    Instant to = bound("to", ctx.queryParam("to"), true);
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
            ctx.queryParam("trigger"),
            RunRoutes.labels(ctx));
    Map<String, ReportGroup> groups = new TreeMap<>();
    List<Decision> decisions =
        api.store()
            .read(
                tx -> {
                  var reports = tx.reports();
                  for (Count c : reports.runsByStatus(filter)) {
                    group(groups, c.workflow(), c.action()).runs.merge(c.key(), c.n(), Long::sum);
                  }
                  for (Count c : reports.tasksByStatus(filter)) {
                    group(groups, c.workflow(), c.action()).tasks.merge(c.key(), c.n(), Long::sum);
                  }
                  for (Count c : reports.approvalsDecided(filter)) {
                    group(groups, c.workflow(), c.action())
                        .approvals
                        .merge(c.key(), c.n(), Long::sum);
                  }
                  for (Count c : reports.retries(filter)) {
                    group(groups, c.workflow(), c.action()).retries += c.n();
                  }
                  for (RunSums s : reports.runSums(filter)) {
                    ReportGroup g = group(groups, s.workflow(), s.action());
                    g.actionsInvoked += s.actionsInvoked();
                    g.subjectsMatched += s.subjectsMatched();
                    g.cancellations += s.cancelled();
                  }
                  for (StepCount c : reports.tasksByStep(filter)) {
                    ReportGroup.Step step = group(groups, c.workflow(), c.action()).step(c.step());
                    step.tasks.merge(c.key(), c.n(), Long::sum);
                    step.subjectTasks += c.subjectTasks();
                  }
                  for (StepCount c : reports.retriesByStep(filter)) {
                    ReportGroup g = group(groups, c.workflow(), c.action());
                    if (c.key().equals("recovered")) {
                      g.step(c.step()).recovered += c.n();
                      g.recovered += c.n();
                    } else {
                      g.step(c.step()).retries += c.n();
                    }
                  }
                  return reports.decisions(filter);
                });
    ReportGroup totals = new ReportGroup(null, null);
    groups.values().forEach(totals::add);
    if ("csv".equals(format)) {
      ctx.contentType("text/csv; charset=utf-8").result(csv(groups.values(), totals));
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
    for (ReportGroup g : groups.values()) {
      ObjectNode item = g.json();
      ArrayNode steps = item.putArray("steps");
      g.steps.values().forEach(step -> steps.add(step.json()));
      items.add(item);
    }
    out.set("totals", totals.json());
    ArrayNode approvals = out.putArray("approvals");
    for (Decision d : decisions) {
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

  private static ReportGroup group(
      Map<String, ReportGroup> groups, String workflow, String action) {
    String key = workflow != null ? "workflow:" + workflow : "action:" + action;
    return groups.computeIfAbsent(key, k -> new ReportGroup(workflow, action));
  }

  private static String csv(Iterable<ReportGroup> groups, ReportGroup totals) {
    List<String> header = new ArrayList<>(List.of("workflow", "action", "runs"));
    for (RunStatus s : RunStatus.values()) {
      header.add("runs:" + s.wire());
    }
    header.add("tasks");
    for (TaskStatus s : TaskStatus.values()) {
      header.add("tasks:" + s.wire());
    }
    header.addAll(
        List.of(
            "actionsInvoked",
            "subjectsMatched",
            "approvalsApproved",
            "approvalsRejected",
            "retries",
            "cancellations",
            "recovered"));
    StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
    for (ReportGroup g : groups) {
      row(out, g.workflow == null ? "" : g.workflow, g.action == null ? "" : g.action, g);
    }
    row(out, "TOTAL", "", totals);
    return out.toString();
  }

  private static void row(StringBuilder out, String workflow, String action, ReportGroup g) {
    List<String> cells =
        new ArrayList<>(List.of(workflow, action, String.valueOf(g.total(g.runs))));
    g.runs.values().forEach(v -> cells.add(String.valueOf(v)));
    cells.add(String.valueOf(g.total(g.tasks)));
    g.tasks.values().forEach(v -> cells.add(String.valueOf(v)));
    cells.add(String.valueOf(g.actionsInvoked));
    cells.add(String.valueOf(g.subjectsMatched));
    cells.add(String.valueOf(g.approvals.get("approved")));
    cells.add(String.valueOf(g.approvals.get("rejected")));
    cells.add(String.valueOf(g.retries));
    cells.add(String.valueOf(g.cancellations));
    cells.add(String.valueOf(g.recovered));
    out.append(String.join(",", cells)).append('\n');
  }

  /**
   * A bound of the period: an RFC 3339 timestamp, or a date; a date {@code to} includes that whole
   * day (the period {@code 2026-01-01..2026-03-31} is the first quarter).
   */
  static Instant bound(String field, String text, boolean end) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(field, "required: a date (2026-01-01) or RFC 3339 timestamp");
    }
    try {
      LocalDate date = LocalDate.parse(text);
      Times.inRange(field, text, date.atStartOfDay().toInstant(ZoneOffset.UTC));
      return (end ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return Times.parse(field, text);
    }
  }
}
