package dev.runledger.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.ReportRepository.Count;
import dev.runledger.store.ReportRepository.RunSums;
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
 * {@code GET /api/reports/runs}: per workflow over a period (runs created in it), runs by status,
 * tasks by outcome, actions invoked, subjects matched, approvals decided, retries and
 * cancellations, with totals; JSON or {@code ?format=csv}.
 */
final class ReportRoutes {
  private final ApiContext api;

  ReportRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    routes.get("/api/reports/runs", Role.VIEWER, this::runs);
  }

  /** One group's figures. */
  private static final class Group {
    final String workflow;
    final String action;
    final Map<String, Long> runs = zeros(RunStatus.values().length);
    final Map<String, Long> tasks = zeros(TaskStatus.values().length);
    final Map<String, Long> approvals = new TreeMap<>();
    long actionsInvoked;
    long subjectsMatched;
    long retries;
    long cancellations;

    Group(String workflow, String action) {
      this.workflow = workflow;
      this.action = action;
      for (RunStatus s : RunStatus.values()) {
        runs.put(s.wire(), 0L);
      }
      for (TaskStatus s : TaskStatus.values()) {
        tasks.put(s.wire(), 0L);
      }
      approvals.put("approved", 0L);
      approvals.put("rejected", 0L);
    }

    private static Map<String, Long> zeros(int n) {
      return new java.util.LinkedHashMap<>(n * 2);
    }

    void add(Group other) {
      other.runs.forEach((k, v) -> runs.merge(k, v, Long::sum));
      other.tasks.forEach((k, v) -> tasks.merge(k, v, Long::sum));
      other.approvals.forEach((k, v) -> approvals.merge(k, v, Long::sum));
      actionsInvoked += other.actionsInvoked;
      subjectsMatched += other.subjectsMatched;
      retries += other.retries;
      cancellations += other.cancellations;
    }

    long total(Map<String, Long> counts) {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    ObjectNode json() {
      ObjectNode n = Json.object();
      if (workflow != null || action != null) {
        n.put("workflow", workflow);
        n.put("action", action);
      }
      n.set("runs", counts(runs));
      n.set("tasks", counts(tasks));
      n.put("actionsInvoked", actionsInvoked);
      n.put("subjectsMatched", subjectsMatched);
      ObjectNode a = counts(approvals);
      n.set("approvalsDecided", a);
      n.put("retries", retries);
      n.put("cancellations", cancellations);
      return n;
    }

    private ObjectNode counts(Map<String, Long> counts) {
      ObjectNode n = Json.object();
      n.put("total", total(counts));
      counts.forEach(n::put);
      return n;
    }
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
    Map<String, Group> groups = new TreeMap<>();
    api.store()
        .read(
            tx -> {
              var reports = tx.reports();
              for (Count c : reports.runsByStatus(project, from, to)) {
                group(groups, c.workflow(), c.action()).runs.merge(c.key(), c.n(), Long::sum);
              }
              for (Count c : reports.tasksByStatus(project, from, to)) {
                group(groups, c.workflow(), c.action()).tasks.merge(c.key(), c.n(), Long::sum);
              }
              for (Count c : reports.approvalsDecided(project, from, to)) {
                group(groups, c.workflow(), c.action()).approvals.merge(c.key(), c.n(), Long::sum);
              }
              for (Count c : reports.retries(project, from, to)) {
                group(groups, c.workflow(), c.action()).retries += c.n();
              }
              for (RunSums s : reports.runSums(project, from, to)) {
                Group g = group(groups, s.workflow(), s.action());
                g.actionsInvoked += s.actionsInvoked();
                g.subjectsMatched += s.subjectsMatched();
                g.cancellations += s.cancelled();
              }
              return null;
            });
    Group totals = new Group(null, null);
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
    ArrayNode items = out.putArray("items");
    groups.values().forEach(g -> items.add(g.json()));
    out.set("totals", totals.json());
    Responses.json(ctx, out);
  }

  private static Group group(Map<String, Group> groups, String workflow, String action) {
    String key = workflow != null ? "workflow:" + workflow : "action:" + action;
    return groups.computeIfAbsent(key, k -> new Group(workflow, action));
  }

  private static String csv(Iterable<Group> groups, Group totals) {
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
            "cancellations"));
    StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
    for (Group g : groups) {
      row(out, g.workflow == null ? "" : g.workflow, g.action == null ? "" : g.action, g);
    }
    row(out, "TOTAL", "", totals);
    return out.toString();
  }

  private static void row(StringBuilder out, String workflow, String action, Group g) {
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
      return (end ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return Times.parse(field, text);
    }
  }
}
