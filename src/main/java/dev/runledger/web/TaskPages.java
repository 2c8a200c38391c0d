package dev.runledger.web;

import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Role;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/** {@code /runs/{id}/tasks/{name}}: a task's page, and its log and state live while it runs. */
final class TaskPages {
  private final Templates templates;
  private final LivePages live;
  private final TaskView view;

  TaskPages(dev.runledger.api.ApiContext api, Templates templates, LivePages live) {
    this.templates = templates;
    this.live = live;
    this.view = new TaskView(api);
  }

  void register(PageRoutes pages) {
    pages.page("/runs/{id}/tasks/{name}", Role.VIEWER, this::show);
    pages.page("/live/runs/{id}/tasks/{name}", Role.VIEWER, this::stream);
  }

  private void show(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    TaskPage page =
        view.page(
            session,
            project,
            ctx.pathParam("id"),
            ctx.pathParam("name"),
            new TaskView.LogQuery(
                number(ctx, "attempt") == null ? null : number(ctx, "attempt").intValue(),
                number(ctx, "after"),
                number(ctx, "before")));
    templates.render(ctx, "task.jte", page);
  }

  /** New lines of the attempt as they are written, and the task's state, until it ends. */
  private void stream(Context ctx, WebSession session) throws IOException {
    String project = PageRoutes.project(ctx, session);
    String id = ctx.pathParam("id");
    String name = ctx.pathParam("name");
    Long attemptAsked = number(ctx, "attempt");
    int attempt = attemptAsked == null ? 1 : Math.max(1, attemptAsked.intValue());
    long[] after = {orZero(number(ctx, "after"))};
    // fails here, before the stream starts, when the run or the task is not there
    view.live(project, id, name, attempt, Long.MAX_VALUE);
    live.stream(
        ctx,
        session,
        () -> {
          TaskView.Live now = view.live(project, id, name, attempt, after[0]);
          if (now.lastPosition() != null) {
            after[0] = now.lastPosition();
          }
          String appended = templates.html("task_lines.jte", now.lines());
          return new LivePages.Snapshot(
              Map.of("state", templates.html("task_state.jte", now.state())),
              Map.of("lines", appended),
              now.ended());
        });
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static Long number(Context ctx, String param) {
    String v = ctx.queryParam(param);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(param, "not a position this page gave: " + v);
    }
  }
}
