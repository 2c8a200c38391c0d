package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.RunFilter;
import dev.runledger.store.RunRepository;
import dev.runledger.store.RunRepository.RunSort;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code /api/runs}: listing with filters, one run, its tasks, cancel and abort. */
final class RunRoutes {
  /** The filters of {@code GET /api/runs}, besides paging. */
  private static final Pattern RUN_ID = Requests.idCursor("run_");

  /** Creation time and id; a bare id is an earlier release's cursor. */
  private static final Pattern RUN_CURSOR = Pattern.compile("(?:[0-9]{1,19}/)?" + RUN_ID.pattern());

  private static final Pattern COMPLETED_RUN_CURSOR =
      Pattern.compile("-?[0-9]{1,19}/" + RUN_ID.pattern());
  private static final String[] RUN_FILTERS = {
    "status",
    "workflow",
    "action",
    "triggeredBy",
    "trigger",
    "since",
    "until",
    "review",
    "label",
    "sort"
  };

  private final ApiContext api;

  RunRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    routes.get("/api/runs", Role.VIEWER, this::list);
    routes.get("/api/runs/{id}", Role.VIEWER, this::show);
    routes.get("/api/runs/{id}/tasks", Role.VIEWER, this::tasks);
    routes.get("/api/runs/{id}/tasks/{taskName}", Role.VIEWER, this::task);
    routes.post("/api/runs/{id}/cancel", Role.OPERATOR, ctx -> cancel(ctx, false));
    routes.post("/api/runs/{id}/abort", Role.OPERATOR, ctx -> cancel(ctx, true));
  }

  static void respondRun(ApiContext api, Context ctx, int status, Run run) {
    Responses.json(ctx, status, runView(api, run));
  }

  private static ObjectNode runView(ApiContext api, Run run) {
    return api.store()
        .read(
            tx ->
                Views.run(
                    run,
                    tx.runSteps().counts(run.id()),
                    tx.retention().pruning(run.id()),
                    api.clock()));
  }

  private void list(Context ctx) {
    Requests.onlyListParams(ctx, RUN_FILTERS);
    String project = Requests.project(ctx);
    int limit = Requests.limit(ctx);
    RunFilter filter = filter(ctx, project);
    RunSort sort = sort(ctx.queryParam("sort"));
    String cursor =
        Requests.cursor(ctx, sort == RunSort.CREATED_AT ? RUN_CURSOR : COMPLETED_RUN_CURSOR);
    Object[] page =
        api.store()
            .read(
                tx -> {
                  List<Run> runs = tx.runs().list(filter, sort, cursor, limit + 1);
                  List<JsonNode> views = new ArrayList<>();
                  for (Run r : runs.subList(0, Math.min(limit, runs.size()))) {
                    views.add(
                        Views.run(
                            r,
                            tx.runSteps().counts(r.id()),
                            tx.retention().pruning(r.id()),
                            api.clock()));
                  }
                  String next =
                      runs.size() > limit
                          ? RunRepository.cursorAfter(runs.get(limit - 1), sort)
                          : null;
                  return new Object[] {views, next};
                });
    @SuppressWarnings("unchecked")
    List<JsonNode> items = (List<JsonNode>) page[0];
    Responses.page(ctx, items, (String) page[1]);
  }

  private static RunSort sort(String sort) {
    if (sort == null || sort.equals("createdAt")) {
      return RunSort.CREATED_AT;
    }
    if (sort.equals("completedAt")) {
      return RunSort.COMPLETED_AT;
    }
    throw new InvalidInputException("sort", "sort is createdAt or completedAt (newest first)");
  }

  private static RunFilter filter(Context ctx, String project) {
    List<RunStatus> statuses = Requests.repeated(ctx, "status", RunStatus::fromWire);
    return new RunFilter(
        project,
        statuses,
        ctx.queryParam("workflow"),
        ctx.queryParam("action"),
        ctx.queryParam("triggeredBy"),
        triggerType(ctx.queryParam("trigger")),
        Times.parse("since", ctx.queryParam("since")),
        Times.parse("until", ctx.queryParam("until")),
        review(ctx.queryParam("review")),
        labels(ctx));
  }

  /** The trigger types a run can have (openapi.yaml's TriggerType). */
  private static final List<String> TRIGGER_TYPES =
      List.of("manual", "schedule", "event", "webhook", "retry", "rerun", "workflow");

  /** The {@code trigger} filter, refused unless it is a trigger type. */
  static String triggerType(String type) {
    if (type != null && !TRIGGER_TYPES.contains(type)) {
      throw new InvalidInputException(
          "trigger", "trigger is one of " + String.join(", ", TRIGGER_TYPES));
    }
    return type;
  }

  private static final List<String> REVIEW_STATES =
      List.of("none", "pending", "approved", "rejected");

  private static String review(String review) {
    if (review != null && !REVIEW_STATES.contains(review)) {
      throw new InvalidInputException(
          "review",
          "review is one of " + String.join(", ", REVIEW_STATES) + ", not '" + review + "'");
    }
    return review;
  }

  /** The {@code label=key:value} filters of a request (repeatable), as a map. */
  static Map<String, String> labels(Context ctx) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String l : ctx.queryParams("label")) {
      int colon = l.indexOf(':');
      if (colon <= 0) {
        throw new InvalidInputException("label", "a label filter is key:value, not '" + l + "'");
      }
      labels.put(l.substring(0, colon), l.substring(colon + 1));
    }
    return labels;
  }

  private void show(Context ctx) {
    String project = Requests.project(ctx);
    Run run = api.store().read(tx -> RunService.findRun(tx, project, ctx.pathParam("id")));
    Responses.tagged(ctx, runView(api, run));
  }

  private void tasks(Context ctx) {
    Requests.onlyListParams(ctx, "status", "step");
    String project = Requests.project(ctx);
    int limit = Requests.limit(ctx);
    int after = seqCursor(ctx.queryParam("cursor"));
    List<TaskStatus> statuses = Requests.repeated(ctx, "status", TaskStatus::fromWire);
    String step = ctx.queryParam("step");
    String runId = ctx.pathParam("id");
    Object[] page =
        api.store()
            .read(
                tx -> {
                  Run run = RunService.findRun(tx, project, runId);
                  List<Task> tasks = tx.tasks().list(run.id(), statuses, step, after, limit + 1);
                  List<JsonNode> views = new ArrayList<>();
                  for (Task t : tasks.subList(0, Math.min(limit, tasks.size()))) {
                    views.add(TaskViews.view(api, tx, run, t));
                  }
                  String next =
                      tasks.size() > limit ? String.valueOf(tasks.get(limit - 1).seq()) : null;
                  return new Object[] {views, next};
                });
    @SuppressWarnings("unchecked")
    List<JsonNode> views = (List<JsonNode>) page[0];
    Responses.page(ctx, views, (String) page[1]);
  }

  private void task(Context ctx) {
    String project = Requests.project(ctx);
    String runId = ctx.pathParam("id");
    String name = ctx.pathParam("taskName");
    JsonNode view =
        api.store()
            .read(
                tx -> {
                  Run run = RunService.findRun(tx, project, runId);
                  Task t =
                      tx.tasks()
                          .find(run.id(), name)
                          .orElseThrow(
                              () -> new NotFoundException("no task " + name + " in " + runId));
                  return TaskViews.view(api, tx, run, t);
                });
    Responses.tagged(ctx, view);
  }

  private void cancel(Context ctx, boolean abort) {
    String project = Requests.project(ctx);
    JsonNode body = Requests.jsonObject(ctx);
    String reason = Requests.text(body, "reason");
    if (reason != null && reason.length() > 1000) {
      throw new InvalidInputException("reason", "a reason has at most 1000 characters");
    }
    Run run = api.runs().cancel(project, ctx.pathParam("id"), Auth.principal(ctx), reason, abort);
    respondRun(api, ctx, 200, run);
  }

  static int seqCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(cursor);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("cursor", "not a cursor this listing returned");
    }
  }
}
