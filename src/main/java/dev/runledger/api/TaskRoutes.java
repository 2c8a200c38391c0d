package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Role;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.TaskFilter;
import dev.runledger.store.TaskInRun;
import dev.runledger.store.TaskRepository;
import io.javalin.http.Context;
import java.util.List;

/** {@code GET /api/tasks}: the action executions of a project across all its runs. */
final class TaskRoutes {
  private final ApiContext api;

  TaskRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    routes.get("/api/tasks", Role.VIEWER, this::list);
  }

  private void list(Context ctx) {
    Requests.onlyListParams(ctx, "status", "action", "triggeredBy", "since", "until");
    String project = Requests.project(ctx);
    int limit = Requests.limit(ctx);
    TaskFilter filter =
        new TaskFilter(
            project,
            Requests.repeated(ctx, "status", TaskStatus::fromWire),
            ctx.queryParam("action"),
            ctx.queryParam("triggeredBy"),
            Times.parse("since", ctx.queryParam("since")),
            Times.parse("until", ctx.queryParam("until")));
    String cursor = ctx.queryParam("cursor");
    List<TaskInRun> tasks =
        api.store().read(tx -> tx.tasks().listAcross(filter, cursor, limit + 1));
    String next =
        tasks.size() > limit ? TaskRepository.cursorAfter(tasks.get(limit - 1).task()) : null;
    List<JsonNode> items =
        tasks.stream()
            .limit(limit)
            .map(t -> (JsonNode) Views.taskInRun(t, project, api.clock()))
            .toList();
    Responses.page(ctx, items, next);
  }
}
