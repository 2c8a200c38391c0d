package dev.runledger.api;

import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.LogText;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.store.LogLine;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/runs/{id}/tasks/{taskName}/logs}: an attempt's lines as text (control characters
 * shown as escapes), or with {@code follow=true} as server-sent events until the attempt ends
 * ({@link LogStreams} serves them).
 */
final class LogRoutes {
  private static final int PAGE = 1000;
  private static final int FOLLOW_PAGE = 100;
  private static final long RETRY_MILLIS = 2000;

  private final ApiContext api;
  private final LogStreams streams;

  LogRoutes(ApiContext api, LogStreams streams) {
    this.api = api;
    this.streams = streams;
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

  /** The {@code Last-Event-ID} of a reconnecting client: a line position this stream sent. */
  private static long lastEventId(Context ctx) {
    String id = ctx.header("Last-Event-ID");
    if (id == null || id.isBlank()) {
      return 0;
    }
    try {
      long position = Long.parseLong(id.trim());
      if (position < 0) {
        throw new NumberFormatException();
      }
      return position;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("Last-Event-ID", "not an id this stream sent: " + id);
    }
  }

  private static int attempt(String text, Task task) {
    if (text == null) {
      return TaskViews.attempt(null, task);
    }
    try {
      return TaskViews.attempt(Integer.parseInt(text), task);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("attempt", "an attempt is a number from 1");
    }
  }

  private void logs(Context ctx) throws IOException {
    Target t = target(ctx);
    if ("true".equalsIgnoreCase(ctx.queryParam("follow"))) {
      if (RouteTable.isHead(ctx)) {
        // HEAD says what a GET would answer, without holding a stream open
        ctx.status(200).contentType("text/event-stream");
        return;
      }
      streams.start(ctx, Auth.principal(ctx).name(), new Follow(t, lastEventId(ctx)));
      return;
    }
    StringBuilder out = new StringBuilder();
    long after = 0;
    while (true) {
      List<LogLine> lines = read(t, after, PAGE);
      for (LogLine l : lines) {
        out.append(Times.format(l.at()))
            .append(' ')
            .append(l.stream())
            .append(' ')
            .append(LogText.visible(l.line()))
            .append('\n');
        after = l.position();
      }
      if (lines.size() < PAGE) {
        break;
      }
    }
    ctx.contentType("text/plain; charset=utf-8").result(out.toString());
  }

  private List<LogLine> read(Target t, long after, int limit) {
    return api.store()
        .read(tx -> tx.logs().read(t.run().id(), t.task().name(), t.attempt(), after, limit));
  }

  /**
   * An attempt's lines as {@code line} events, then an {@code end} event with the task's status.
   */
  private final class Follow implements LogStreams.Source {
    private final Target t;
    private long after;
    private boolean started;

    /**
     * @param after the position of the last line the client saw ({@code Last-Event-ID}), or 0
     */
    Follow(Target t, long after) {
      this.t = t;
      this.after = after;
    }

    @Override
    public List<String> next(int maxBytes) {
      List<String> events = new ArrayList<>();
      if (!started) {
        // how long an EventSource waits before it reconnects (with Last-Event-ID) after a drop
        events.add("retry: " + RETRY_MILLIS + "\n\n");
        started = true;
      }
      int bytes = 0;
      for (LogLine l : read(t, after, FOLLOW_PAGE)) {
        var data = Json.object();
        data.put("at", Times.format(l.at()));
        data.put("stream", l.stream());
        data.put("line", l.line());
        // the id is the line's position: a reconnect resumes after it
        String event = "id: " + l.position() + "\nevent: line\ndata: " + Json.write(data) + "\n\n";
        events.add(event);
        after = l.position();
        bytes += event.length();
        if (bytes >= maxBytes) {
          break;
        }
      }
      return events;
    }

    @Override
    public boolean ended() {
      return attemptEnded(t);
    }

    @Override
    public String end() {
      Task task =
          api.store().read(tx -> tx.tasks().find(t.run().id(), t.task().name())).orElseThrow();
      var end = Json.object().put("status", task.status().wire()).put("attempt", t.attempt());
      return "event: end\ndata: " + Json.write(end) + "\n\n";
    }
  }

  private boolean attemptEnded(Target t) {
    return api.store()
        .read(
            tx -> {
              Task task = tx.tasks().find(t.run().id(), t.task().name()).orElseThrow();
              Run run = tx.runs().find(t.run().id()).orElse(null);
              return run == null || TaskViews.attemptEnded(tx, run, task, t.attempt());
            });
  }
}
