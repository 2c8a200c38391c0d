package dev.runledger.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.api.ApiContext;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.Artifact;
import dev.runledger.model.FailureKind;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.model.RunStatus;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.store.AuditFilter;
import dev.runledger.store.RunStep;
import dev.runledger.store.StoredAuditEvent;
import dev.runledger.store.Tx;
import dev.runledger.web.RunPage.ArtifactRow;
import dev.runledger.web.RunPage.AuditRow;
import dev.runledger.web.RunPage.LineageRow;
import dev.runledger.web.RunPage.RunButtons;
import dev.runledger.web.RunPage.RunFacts;
import dev.runledger.web.RunPage.StepView;
import dev.runledger.web.RunPage.TaskRow;
import dev.runledger.web.RunPage.TaskTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a run's page shows, in one read transaction, bounded whatever the run's size: the
 * steps come from their counts, a table holds one page of one step's tasks, the timeline that page,
 * and the audit tab the run's first events.
 */
final class RunView {
  static final int TASK_PAGE = 50;
  static final int AUDIT_PAGE = 200;

  /** Which tasks the table shows. */
  record TaskQuery(String step, String status, String subject, int after) {}

  /** The parts a live stream sends again. */
  record Live(RunFacts facts, RunButtons buttons, List<StepView> steps) {}

  private final ApiContext api;

  RunView(ApiContext api) {
    this.api = api;
  }

  RunPage page(WebSession session, String project, String id, String tab, TaskQuery query) {
    Instant now = api.clock().instant();
    return api.store()
        .read(
            tx -> {
              Run run = RunService.findRun(tx, project, id);
              List<RunStep> runSteps = tx.runSteps().forRun(run.id());
              WorkflowDefinition workflow = workflow(run);
              List<StepView> steps = steps(tx, run, runSteps, now);
              RunFacts facts = facts(run, runSteps, now);
              String step = query.step();
              if (step == null) {
                step =
                    steps.stream()
                        .filter(StepView::fanOut)
                        .map(StepView::id)
                        .findFirst()
                        .orElse(steps.isEmpty() ? null : steps.get(0).id());
              }
              List<Task> pageTasks = tasksOf(tx, run, step, query);
              TaskTable table = table(run, runSteps, step, query, pageTasks);
              List<ArtifactRow> artifacts = List.of();
              List<LineageRow> lineage = List.of();
              if (tab.equals("evidence")) {
                List<Artifact> files = tx.artifacts().forRun(run.id());
                boolean pruned = tx.retention().pruning(run.id()).artifacts() != null;
                artifacts = artifacts(run, files, pruned);
                lineage = lineage(tx, run, files);
              }
              List<AuditRow> audit = tab.equals("audit") ? audit(tx, run) : List.of();
              return new RunPage(
                  Chrome.of(session, facts.name() + " · run", "runs", project),
                  facts,
                  buttons(tx, session, run, runSteps),
                  tab,
                  steps,
                  Diagrams.dag(steps, workflow),
                  table,
                  tab.equals("timeline") ? Diagrams.gantt(run, pageTasks, now) : null,
                  artifacts,
                  Diagrams.lineage(lineage),
                  lineage,
                  audit,
                  run.status().isTerminal()
                      ? null
                      : "/live" + Links.run(run.id()) + Links.projectQuery(project));
            });
  }

  Live live(WebSession session, String project, String id) {
    Instant now = api.clock().instant();
    return api.store()
        .read(
            tx -> {
              Run run = RunService.findRun(tx, project, id);
              List<RunStep> runSteps = tx.runSteps().forRun(run.id());
              return new Live(
                  facts(run, runSteps, now),
                  buttons(tx, session, run, runSteps),
                  steps(tx, run, runSteps, now));
            });
  }

  private WorkflowDefinition workflow(Run run) {
    if (run.workflow() == null) {
      return null;
    }
    try {
      return api.definitions().workflow(run.project(), run.workflow(), run.revision());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private RunFacts facts(Run run, List<RunStep> steps, Instant now) {
    RunRow row = RunRow.of(run, RunStep.sum(steps), now);
    JsonNode trigger = run.trigger() == null ? Json.object() : run.trigger();
    String detail = null;
    if (trigger.path("schedule").isObject()) {
      detail = "schedule " + trigger.path("schedule").path("cron").asText("");
    } else if (trigger.path("event").isObject()) {
      JsonNode e = trigger.path("event");
      detail = "event " + e.path("type").asText("") + " from " + e.path("source").asText("");
    }
    JsonNode cancel = run.cancel();
    String cancelNote = null;
    if (cancel != null && cancel.isObject()) {
      cancelNote =
          (cancel.path("abort").asBoolean() ? "Abort" : "Cancel")
              + " requested by "
              + cancel.path("by").asText("?")
              + (cancel.hasNonNull("reason") ? ": " + cancel.get("reason").asText() : "");
    }
    return new RunFacts(
        run.id(),
        Links.run(run.id()),
        run.definitionName(),
        run.definitionKind(),
        "/"
            + run.definitionKind()
            + "s/"
            + Links.segment(run.definitionName())
            + "?revision="
            + run.revision(),
        run.revision(),
        run.definitionHash(),
        run.engineVersion(),
        run.status().wire(),
        row.review(),
        run.reviewBy(),
        run.reviewComment(),
        run.triggerType(),
        trigger.path("source").asText(""),
        detail,
        run.triggeredBy(),
        run.initiatedBy(),
        Formats.json(run.parameters()),
        run.labels() == null || run.labels().isEmpty() ? null : Formats.json(run.labels()),
        Formats.absolute(run.createdAt()),
        Formats.absolute(run.startedAt()),
        Formats.absolute(run.completedAt()),
        run.status().isTerminal()
            ? Formats.duration(run.startedAt(), run.completedAt())
            : (run.startedAt() == null
                ? "-"
                : Formats.duration(java.time.Duration.between(run.startedAt(), now)) + " so far"),
        row.done(),
        row.total(),
        row.failures(),
        row.parentHref(),
        run.rerunOf() == null ? null : Links.run(run.rerunOf()),
        cancelNote,
        run.status().isTerminal());
  }

  private static List<StepView> steps(Tx tx, Run run, List<RunStep> runSteps, Instant now) {
    List<StepView> views = new ArrayList<>();
    JsonNode plan = run.plan() == null ? null : run.plan().path("steps");
    for (RunStep s : runSteps) {
      int total = s.counts().values().stream().mapToInt(Integer::intValue).sum();
      String action =
          plan != null && plan.has(s.step())
              ? plan.get(s.step()).path("name").asText(s.step())
              : run.action();
      Task only = null;
      if (total == 1) {
        only = tx.tasks().list(run.id(), null, s.step(), 0, 1).stream().findFirst().orElse(null);
      }
      boolean fanOut = total > 1 || s.isPlanning();
      views.add(
          new StepView(
              s.step(),
              action,
              stepStatus(s, total, run),
              total,
              countsText(s.counts()),
              only == null
                  ? "-"
                  : only.completedAt() == null && only.startedAt() != null
                      ? Formats.duration(java.time.Duration.between(only.startedAt(), now))
                      : Formats.duration(only.startedAt(), only.completedAt()),
              only == null ? null : Formats.jsonOrNull(only.outputs()),
              only == null || only.failure() == null ? null : only.failure().cause(),
              only == null || only.failure() == null ? null : only.failure().hint(),
              only == null || only.failure() == null
                  ? null
                  : only.failure().kind().name().toLowerCase(java.util.Locale.ROOT),
              only == null
                  ? null
                  : Links.task(run.id(), only.name()) + Links.projectQuery(run.project()),
              fanOut,
              Links.run(run.id()) + Links.queryString(stepQuery(s.step(), run)) + "#tasks"));
    }
    return views;
  }

  /** A step's status, from its tasks' counts. */
  static String stepStatus(RunStep s, int total, Run run) {
    Map<TaskStatus, Integer> c = s.counts();
    if (c.get(TaskStatus.RUNNING) > 0 || c.get(TaskStatus.QUEUED) > 0 || s.isPlanning()) {
      return "running";
    }
    if (c.get(TaskStatus.AWAITING_APPROVAL) > 0) {
      return "awaiting-approval";
    }
    if (c.get(TaskStatus.PENDING) > 0) {
      return "pending";
    }
    if (total == 0) {
      return run.status().isTerminal() ? "skipped" : "pending";
    }
    if (c.get(TaskStatus.FAILED) > 0) {
      return "failed";
    }
    if (c.get(TaskStatus.SKIPPED) == total) {
      return "skipped";
    }
    return "succeeded";
  }

  private static String countsText(Map<TaskStatus, Integer> counts) {
    StringBuilder b = new StringBuilder();
    counts.forEach(
        (k, v) -> {
          if (v > 0) {
            b.append(b.length() == 0 ? "" : " · ").append(v).append(' ').append(k.wire());
          }
        });
    return b.toString();
  }

  /** The query of a step's task table: the step, and the project unless the default. */
  private static Map<String, String> stepQuery(String step, Run run) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("step", step);
    params.put("project", "default".equals(run.project()) ? null : run.project());
    return params;
  }

  /** One page of the step's tasks that match the query, and the first of the next page if any. */
  private static List<Task> tasksOf(Tx tx, Run run, String step, TaskQuery q) {
    List<TaskStatus> statuses = q.status() == null ? null : List.of(status(q.status()));
    if (step == null) {
      return List.of();
    }
    return tx.tasks().list(run.id(), statuses, step, q.subject(), q.after(), TASK_PAGE + 1);
  }

  private static TaskStatus status(String wire) {
    try {
      return TaskStatus.fromWire(wire);
    } catch (IllegalArgumentException e) {
      throw new dev.runledger.model.InvalidInputException("status", e.getMessage());
    }
  }

  private static TaskTable table(
      Run run, List<RunStep> steps, String step, TaskQuery q, List<Task> tasks) {
    List<TaskRow> rows = new ArrayList<>();
    for (Task t : tasks.subList(0, Math.min(TASK_PAGE, tasks.size()))) {
      rows.add(
          new TaskRow(
              t.name(),
              Links.task(run.id(), t.name()) + Links.projectQuery(run.project()),
              t.subjectKey(),
              t.status().wire(),
              String.valueOf(t.attempts()),
              t.completedAt() == null ? "-" : Formats.duration(t.startedAt(), t.completedAt()),
              t.result() == null || t.result().isNull()
                  ? null
                  : t.result().isTextual() ? t.result().asText() : t.result().toString(),
              t.failure() == null ? null : t.failure().cause()));
    }
    String next = null;
    if (tasks.size() > TASK_PAGE) {
      Map<String, String> params = stepQuery(step, run);
      params.put("status", q.status());
      params.put("subject", q.subject());
      params.put("after", String.valueOf(tasks.get(TASK_PAGE - 1).seq()));
      next = Links.run(run.id()) + Links.queryString(params) + "#tasks";
    }
    return new TaskTable(
        step,
        q.status(),
        q.subject(),
        rows,
        next,
        steps.stream().map(RunStep::step).toList(),
        Links.run(run.id()));
  }

  private RunButtons buttons(Tx tx, WebSession session, Run run, List<RunStep> runSteps) {
    boolean ended = run.status().isTerminal();
    boolean operator = session.can(Role.OPERATOR);
    boolean failures =
        run.status() == RunStatus.FAILED || run.status() == RunStatus.COMPLETED_WITH_FAILURES;
    boolean onlyDeterministic = false;
    String why = null;
    if (ended && failures && operator) {
      List<Task> failed = failed(tx, run, runSteps, 500);
      onlyDeterministic =
          !failed.isEmpty()
              && failed.stream()
                  .allMatch(
                      t -> t.failure() != null && t.failure().kind() == FailureKind.DETERMINISTIC);
      if (onlyDeterministic) {
        Task first = failed.get(0);
        why =
            "Every failed task failed deterministically"
                + (first.failure().cause() == null ? "" : " (" + first.failure().cause() + ")")
                + ": a retry runs the same action with the same parameters and will fail the same"
                + " way. Fix the cause first, or retry anyway.";
      }
    }
    return new RunButtons(
        !ended && operator,
        !ended && operator,
        ended && failures && operator,
        onlyDeterministic,
        why,
        ended && operator,
        "pending".equals(run.reviewStatus()) && session.can(Role.APPROVER));
  }

  /**
   * The run's first {@code limit} failed tasks in plan order, read step by step so that each read
   * seeks its step's failed tasks instead of walking every task of the run.
   */
  private static List<Task> failed(Tx tx, Run run, List<RunStep> runSteps, int limit) {
    List<Task> failed = new ArrayList<>();
    for (RunStep s : runSteps) {
      failed.addAll(tx.tasks().list(run.id(), List.of(TaskStatus.FAILED), s.step(), 0, limit));
    }
    failed.sort(java.util.Comparator.comparingInt(Task::seq));
    return failed.subList(0, Math.min(limit, failed.size()));
  }

  private static List<ArtifactRow> artifacts(Run run, List<Artifact> files, boolean pruned) {
    List<ArtifactRow> rows = new ArrayList<>();
    for (Artifact a : files) {
      rows.add(
          new ArtifactRow(
              a.name(),
              a.taskName(),
              Links.task(run.id(), a.taskName()) + Links.projectQuery(run.project()),
              a.direction(),
              Formats.bytes(a.size()),
              a.mediaType(),
              a.sha256(),
              Links.run(run.id()) + "/files/" + a.hex() + Links.projectQuery(run.project()),
              pruned));
    }
    return rows;
  }

  /**
   * The flows across runs through this run's files: who produced what it consumed, and who consumed
   * what it produced (runs of the same project only).
   */
  private static List<LineageRow> lineage(Tx tx, Run run, List<Artifact> files) {
    List<LineageRow> rows = new ArrayList<>();
    Map<String, Boolean> visible = new HashMap<>();
    for (Artifact a : files) {
      for (Artifact other : tx.artifacts().bySha(a.sha256())) {
        if (other.runId().equals(run.id()) || other.direction().equals(a.direction())) {
          continue;
        }
        boolean same =
            visible.computeIfAbsent(
                other.runId(),
                rid ->
                    tx.runs().find(rid).map(r -> r.project().equals(run.project())).orElse(false));
        if (!same) {
          continue;
        }
        String mine = a.taskName() + " (this run)";
        String theirs = other.taskName() + " in " + other.runId();
        String theirHref =
            Links.task(other.runId(), other.taskName()) + Links.projectQuery(run.project());
        String myHref = Links.task(run.id(), a.taskName()) + Links.projectQuery(run.project());
        if (a.direction().equals(Artifact.CONSUMED)) {
          rows.add(new LineageRow(theirs, theirHref, a.name(), mine, myHref));
        } else {
          rows.add(new LineageRow(mine, myHref, a.name(), theirs, theirHref));
        }
        if (rows.size() >= 50) {
          return rows;
        }
      }
    }
    return rows;
  }

  private static List<AuditRow> audit(Tx tx, Run run) {
    List<AuditRow> rows = new ArrayList<>();
    for (StoredAuditEvent e :
        tx.audit()
            .list(
                new AuditFilter(run.project(), null, null, null, null, run.id(), false),
                null,
                AUDIT_PAGE,
                true)) {
      var ev = e.event();
      rows.add(
          new AuditRow(
              Formats.absolute(ev.at()),
              ev.actor(),
              ev.type(),
              ev.taskName(),
              ev.details() == null || ev.details().isEmpty() ? null : ev.details().toString()));
    }
    return rows;
  }
}
