package dev.runledger.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.api.ApiContext;
import dev.runledger.api.TaskViews;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.Attempt;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.store.LogLine;
import dev.runledger.store.Tx;
import dev.runledger.web.TaskPage.AttemptLink;
import dev.runledger.web.TaskPage.AttemptRow;
import dev.runledger.web.TaskPage.Evidence;
import dev.runledger.web.TaskPage.FileRow;
import dev.runledger.web.TaskPage.LogPager;
import dev.runledger.web.TaskPage.TaskFacts;
import dev.runledger.web.TaskPage.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a task's page from the API's task view (the same masked values), and one page of one
 * attempt's log: never the whole log, so a task with a million lines opens as fast as one with ten.
 */
final class TaskView {
  static final int LOG_PAGE = 500;

  /** Which lines to show: after a line's position, before one, or (neither) the last page. */
  record LogQuery(Integer attempt, Long after, Long before) {}

  /** What a live stream sends next: the task's state and the lines since the last ones sent. */
  record Live(TaskState state, TaskLines lines, Long lastPosition, boolean ended) {}

  private final ApiContext api;

  TaskView(ApiContext api) {
    this.api = api;
  }

  TaskPage page(WebSession session, String project, String runId, String name, LogQuery q) {
    Instant now = api.clock().instant();
    return api.store()
        .read(
            tx -> {
              Run run = RunService.findRun(tx, project, runId);
              Task task = find(tx, run, name);
              JsonNode view = TaskViews.view(api, tx, run, task);
              int attempt = TaskViews.attempt(q.attempt(), task);
              String base = Links.task(run.id(), task.name());
              String pq = "default".equals(project) ? "" : "&project=" + Links.query(project);
              Page log = log(tx, run, task, attempt, q, base + "?attempt=" + attempt + pq);
              TaskState state = state(task, view.path("job"));
              boolean liveLog =
                  q.after() == null
                      && q.before() == null
                      && !TaskViews.attemptEnded(tx, run, task, attempt);
              String liveHref =
                  state.ended()
                      ? null
                      : "/live"
                          + base
                          + "?attempt="
                          + attempt
                          + "&after="
                          + (liveLog ? log.lastPosition : Long.MAX_VALUE)
                          + pq;
              List<AttemptRow> attempts = attempts(tx, run, task, attempt, base, pq, now);
              List<AttemptLink> links = new ArrayList<>();
              for (AttemptRow a : attempts) {
                links.add(new AttemptLink(a.number(), a.logHref(), a.number() == attempt));
              }
              return new TaskPage(
                  Chrome.of(session, task.name() + " · task", "runs", project),
                  facts(run, task, view, state, pq, now),
                  attempts,
                  evidence(run, view.path("evidence"), pq),
                  new TaskLines(log.lines),
                  log.pager,
                  links,
                  liveHref);
            });
  }

  /** The lines after {@code after} and the task's state now. */
  Live live(String project, String runId, String name, int attempt, long after) {
    return api.store()
        .read(
            tx -> {
              Run run = RunService.findRun(tx, project, runId);
              Task task = find(tx, run, name);
              boolean endedBefore = TaskViews.attemptEnded(tx, run, task, attempt);
              List<LogLine> lines =
                  after == Long.MAX_VALUE
                      ? List.of()
                      : tx.logs().read(run.id(), task.name(), attempt, after, LOG_PAGE);
              // only the job's state and progress: not the whole view, once a second
              TaskState state =
                  state(
                      task,
                      tx.jobs()
                          .forTask(run.id(), task.name())
                          .<JsonNode>map(TaskViews::jobSummary)
                          .orElse(dev.runledger.model.Json.MAPPER.nullNode()));
              return new Live(
                  state,
                  new TaskLines(numbered(lines)),
                  lines.isEmpty() ? null : lines.get(lines.size() - 1).position(),
                  endedBefore && lines.size() < LOG_PAGE);
            });
  }

  private static Task find(Tx tx, Run run, String name) {
    return tx.tasks()
        .find(run.id(), name)
        .orElseThrow(() -> new NotFoundException("no task " + name + " in " + run.id()));
  }

  /** A page of the log with its links. */
  private record Page(List<TaskLines.Line> lines, LogPager pager, long lastPosition) {}

  private static Page log(Tx tx, Run run, Task task, int attempt, LogQuery q, String base) {
    String r = run.id();
    String t = task.name();
    List<LogLine> lines;
    boolean more = false;
    boolean tail = false;
    if (q.after() != null) {
      lines = new ArrayList<>(tx.logs().read(r, t, attempt, q.after(), LOG_PAGE + 1));
      more = lines.size() > LOG_PAGE;
      if (more) {
        lines.remove(lines.size() - 1);
      }
    } else if (q.before() != null) {
      lines = tx.logs().before(r, t, attempt, q.before(), LOG_PAGE);
      more = true;
    } else {
      tail = true;
      lines = tx.logs().tail(r, t, attempt, LOG_PAGE);
    }
    // every line carries its number within the attempt (stored as it was written)
    long first = lines.isEmpty() ? 1 : lines.get(0).number();
    long last = lines.isEmpty() ? 0 : lines.get(lines.size() - 1).number();
    long lastPosition =
        lines.isEmpty()
            ? (q.after() == null ? 0 : q.after())
            : lines.get(lines.size() - 1).position();
    String range =
        lines.isEmpty()
            ? "no lines"
            : String.format("lines %,d–%,d%s", first, last, tail ? " (the latest)" : "");
    LogPager pager =
        new LogPager(
            first > 1 ? base + "&after=0#log" : null,
            first > 1 && !lines.isEmpty()
                ? base + "&before=" + lines.get(0).position() + "#log"
                : null,
            !tail && more && !lines.isEmpty() ? base + "&after=" + lastPosition + "#log" : null,
            tail ? null : base + "#log",
            range);
    return new Page(numbered(lines), pager, lastPosition);
  }

  private static List<TaskLines.Line> numbered(List<LogLine> lines) {
    List<TaskLines.Line> out = new ArrayList<>(lines.size());
    for (LogLine l : lines) {
      out.add(new TaskLines.Line(l.number(), l.stream(), AnsiLine.segments(l.line())));
    }
    return out;
  }

  /** The task's status and its job's ({@code job} as the API's job summary, or null). */
  private static TaskState state(Task task, JsonNode job) {
    JsonNode progress = job.path("progress");
    return new TaskState(
        task.status().wire(),
        progress.path("percent").isNumber() ? progress.get("percent").asInt() : null,
        text(progress.path("message")),
        text(job.path("state")),
        task.status().isTerminal());
  }

  private static TaskFacts facts(
      Run run, Task task, JsonNode view, TaskState state, String pq, Instant now) {
    JsonNode abort = task.abort();
    String abortNote = null;
    if (abort != null && abort.isObject()) {
      abortNote =
          "Abort requested by "
              + abort.path("by").asText("?")
              + (abort.hasNonNull("reason") ? ": " + abort.get("reason").asText() : "");
    }
    String projectQuery = pq.isEmpty() ? "" : "?" + pq.substring(1);
    return new TaskFacts(
        run.id(),
        Links.run(run.id()) + projectQuery,
        run.definitionName(),
        task.name(),
        task.step(),
        task.subjectKey(),
        task.subject() == null || task.subject().isNull() ? null : Formats.json(task.subject()),
        task.action(),
        "/actions/" + Links.segment(task.action()) + "?revision=" + task.actionRevision() + pq,
        task.actionRevision(),
        task.actionHash(),
        task.idempotencyKey(),
        task.replayOf() == null
            ? null
            : Links.task(task.replayOf().runId(), task.replayOf().taskName()) + projectQuery,
        Formats.json(view.path("parameters")),
        Formats.jsonOrNull((view.path("result"))),
        Formats.jsonOrNull((view.path("outputs"))),
        task.failure() == null ? null : task.failure().cause(),
        task.failure() == null ? null : task.failure().hint(),
        task.failure() == null
            ? null
            : task.failure().kind().name().toLowerCase(java.util.Locale.ROOT),
        task.skipReason() == null ? null : task.skipReason().wire(),
        abortNote,
        Formats.absolute(task.startedAt()),
        Formats.absolute(task.completedAt()),
        task.startedAt() == null
            ? "-"
            : task.completedAt() == null
                ? Formats.duration(Duration.between(task.startedAt(), now)) + " so far"
                : Formats.duration(task.startedAt(), task.completedAt()),
        state);
  }

  private static List<AttemptRow> attempts(
      Tx tx, Run run, Task task, int shown, String base, String pq, Instant now) {
    List<AttemptRow> rows = new ArrayList<>();
    for (Attempt a : tx.attempts().list(run.id(), task.name())) {
      rows.add(
          new AttemptRow(
              a.number(),
              a.status(),
              a.host(),
              exit(a.exitCode(), a.httpStatus()),
              Formats.absolute(a.startedAt()),
              a.startedAt() == null
                  ? "-"
                  : Formats.duration(
                      Duration.between(a.startedAt(), a.endedAt() == null ? now : a.endedAt())),
              a.error(),
              base + "?attempt=" + a.number() + pq + "#log",
              a.number() == shown));
    }
    return rows;
  }

  private static String exit(Integer exitCode, Integer httpStatus) {
    if (exitCode != null) {
      return "exit " + exitCode;
    }
    if (httpStatus != null) {
      return "HTTP " + httpStatus;
    }
    return "-";
  }

  private static Evidence evidence(Run run, JsonNode e, String pq) {
    String projectQuery = pq.isEmpty() ? "" : "?" + pq.substring(1);
    JsonNode command = e.path("command");
    String commandText =
        command.isMissingNode() || command.isNull()
            ? null
            : command.isTextual() ? command.asText() : Formats.json(command);
    return new Evidence(
        commandText,
        Formats.jsonOrNull((e.path("executable"))),
        Formats.jsonOrNull((e.path("runtime"))),
        Formats.jsonOrNull((e.path("http"))),
        text(e.path("host")),
        exit(
            e.path("exitCode").isNumber() ? e.get("exitCode").asInt() : null,
            e.path("httpStatus").isNumber() ? e.get("httpStatus").asInt() : null),
        Formats.bytes(e.path("stdoutBytes").asLong()),
        Formats.bytes(e.path("stderrBytes").asLong()),
        files(run, e.path("inputs"), projectQuery),
        files(run, e.path("outputs"), projectQuery),
        text(e.path("logsPrunedAt")));
  }

  private static List<FileRow> files(Run run, JsonNode list, String projectQuery) {
    List<FileRow> rows = new ArrayList<>();
    for (JsonNode f : list) {
      String sha = f.path("sha256").asText();
      String hex = sha.startsWith("sha256:") ? sha.substring(7) : sha;
      rows.add(
          new FileRow(
              f.path("name").asText(),
              Formats.bytes(f.path("size").asLong()),
              f.path("mediaType").asText(""),
              sha,
              Links.run(run.id()) + "/files/" + hex + projectQuery));
    }
    return rows;
  }

  private static String text(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
  }
}
