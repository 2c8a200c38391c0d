package dev.runledger.api;

import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.RunService;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.store.LogLine;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /api/runs/{id}/tasks/{taskName}/logs}: an attempt's lines as text, or with {@code
 * follow=true} as server-sent events until the attempt ends.
 */
final class LogRoutes {
  private static final int PAGE = 1000;
  private static final long FOLLOW_POLL_MS = 200;
  private static final long FOLLOW_MAX_MS = 6L * 60 * 60 * 1000;

  private final ApiContext api;

  LogRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    routes.get("/api/runs/{id}/tasks/{taskName}/logs", Role.VIEWER, this::logs);
  }

  private record Target(Run run, Task task, int attempt) {}

  private Target target(Context ctx) {
    String project = Requests.project(ctx);
    String runId = ctx.pathParam("id");
    String name = ctx.pathParam("taskName");
    return api.store()
        .read(
            tx -> {
              Run run = RunService.findRun(tx, project, runId);
              Task task =
                  tx.tasks()
                      .find(run.id(), name)
                      .orElseThrow(() -> new NotFoundException("no task " + name + " in " + runId));
              int attempt = attempt(ctx.queryParam("attempt"), task);
              return new Target(run, task, attempt);
            });
  }

  private static int attempt(String text, Task task) {
    if (text == null) {
      return Math.max(1, task.attempts());
    }
    try {
      int n = Integer.parseInt(text);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("attempt", "an attempt is a number from 1");
    }
  }

  private void logs(Context ctx) throws IOException {
    Target t = target(ctx);
    if ("true".equalsIgnoreCase(ctx.queryParam("follow"))) {
      follow(ctx, t);
      return;
    }
    StringBuilder out = new StringBuilder();
    long after = 0;
    while (true) {
      long from = after;
      List<LogLine> lines =
          api.store()
              .read(tx -> tx.logs().read(t.run().id(), t.task().name(), t.attempt(), from, PAGE));
      for (LogLine l : lines) {
        out.append(Times.format(l.at()))
            .append(' ')
            .append(l.stream())
            .append(' ')
            .append(l.line())
            .append('\n');
        after = l.position();
      }
      if (lines.size() < PAGE) {
        break;
      }
    }
    ctx.contentType("text/plain; charset=utf-8").result(out.toString());
  }

  private void follow(Context ctx, Target t) throws IOException {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream");
    ctx.res().setCharacterEncoding("utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    OutputStream out = ctx.res().getOutputStream();
    long after = 0;
    long deadline = System.currentTimeMillis() + FOLLOW_MAX_MS;
    boolean ended = false;
    while (System.currentTimeMillis() < deadline) {
      long from = after;
      List<LogLine> lines =
          api.store()
              .read(tx -> tx.logs().read(t.run().id(), t.task().name(), t.attempt(), from, PAGE));
      for (LogLine l : lines) {
        var data = Json.object();
        data.put("at", Times.format(l.at()));
        data.put("stream", l.stream());
        data.put("line", l.line());
        out.write(
            ("event: line\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        after = l.position();
      }
      out.flush();
      if (lines.size() == PAGE) {
        continue;
      }
      if (ended) {
        break;
      }
      // One more read after the attempt ended picks up the lines written with its outcome.
      ended = attemptEnded(t);
      if (!ended) {
        sleep();
      }
    }
    Task task =
        api.store().read(tx -> tx.tasks().find(t.run().id(), t.task().name())).orElseThrow();
    var end = Json.object().put("status", task.status().wire()).put("attempt", t.attempt());
    out.write(("event: end\ndata: " + Json.write(end) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private boolean attemptEnded(Target t) {
    return api.store()
        .read(
            tx -> {
              Task task = tx.tasks().find(t.run().id(), t.task().name()).orElseThrow();
              if (task.status().isTerminal()) {
                return true;
              }
              return tx.attempts().list(t.run().id(), t.task().name()).stream()
                  .anyMatch(a -> a.number() == t.attempt() && a.endedAt() != null);
            });
  }

  private static void sleep() {
    try {
      Thread.sleep(FOLLOW_POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
