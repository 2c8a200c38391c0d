package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.ApiToken;
import dev.runledger.model.Attempt;
import dev.runledger.model.AuditEvent;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.store.RetentionRepository;
import dev.runledger.store.TaskInRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The API's JSON shapes (API.md), built from the domain records. */
final class Views {
  private Views() {}

  static ObjectNode run(
      Run r, Map<TaskStatus, Integer> counts, RetentionRepository.Pruning pruning, Clock clock) {
    ObjectNode n = Json.object();
    n.put("id", r.id());
    n.put("project", r.project());
    n.put("workflow", r.workflow());
    n.put("action", r.action());
    n.put("revision", r.revision());
    n.put("definitionHash", r.definitionHash());
    n.put("engineVersion", r.engineVersion());
    n.put("status", r.status().wire());
    n.set("trigger", r.trigger());
    n.put("triggeredBy", r.triggeredBy());
    n.put("initiatedBy", r.initiatedBy());
    n.set("labels", r.labels());
    n.put("parentRun", r.parentRun());
    n.put("parentTask", r.parentTask());
    n.set("parameters", r.parameters());
    n.put("subjectsMatched", r.subjectsMatched());
    n.put("actionsInvoked", r.actionsInvoked());
    ObjectNode c = n.putObject("counts");
    for (TaskStatus s : TaskStatus.values()) {
      c.put(s.wire(), counts.getOrDefault(s, 0));
    }
    ObjectNode review = n.putObject("review");
    review.put("status", r.reviewState());
    review.put("by", r.reviewBy());
    review.put("at", Times.format(r.reviewAt()));
    review.put("comment", r.reviewComment());
    n.set("cancel", r.cancel());
    n.put("rerunOf", r.rerunOf());
    n.put("createdAt", Times.format(r.createdAt()));
    n.put("startedAt", Times.format(r.startedAt()));
    n.put("completedAt", Times.format(r.completedAt()));
    putDuration(n, r.startedAt(), r.completedAt(), clock);
    // The records stay when retention deletes bytes; these say which bytes are gone and since when.
    n.put("logsPrunedAt", Times.format(pruning.logs()));
    n.put("artifactsPrunedAt", Times.format(pruning.artifacts()));
    return n;
  }

  static ObjectNode task(
      Task t, List<Attempt> attempts, Job job, ObjectNode evidence, Clock clock) {
    ObjectNode n = Json.object();
    n.put("name", t.name());
    n.put("step", t.step());
    if (t.subjectKey() == null) {
      n.putNull("subject");
    } else {
      ObjectNode s = n.putObject("subject");
      s.put("key", t.subjectKey());
      s.set("value", t.subject());
    }
    n.put("action", t.action());
    n.put("actionRevision", t.actionRevision());
    n.put("actionHash", t.actionHash());
    n.set("parameters", t.parameters());
    n.put("status", t.status().wire());
    n.put("skipReason", t.skipReason() == null ? null : t.skipReason().wire());
    n.put("idempotencyKey", t.idempotencyKey());
    if (t.replayOf() == null) {
      n.putNull("replayOf");
    } else {
      n.putObject("replayOf")
          .put("runId", t.replayOf().runId())
          .put("taskName", t.replayOf().taskName())
          .put(
              "href",
              "/api/runs/"
                  + segment(t.replayOf().runId())
                  + "/tasks/"
                  + segment(t.replayOf().taskName()));
    }
    n.set("result", t.result());
    n.set("outputs", t.outputs());
    n.set("failure", t.failure() == null ? null : Json.MAPPER.valueToTree(t.failure()));
    n.set("abort", t.abort());
    ArrayNode list = n.putArray("attempts");
    for (Attempt a : attempts) {
      ObjectNode an = list.addObject();
      an.put("number", a.number());
      an.put("status", a.status());
      an.put("startedAt", Times.format(a.startedAt()));
      an.put("endedAt", Times.format(a.endedAt()));
      an.put("host", a.host());
      an.put("exitCode", a.exitCode());
      an.put("httpStatus", a.httpStatus());
      an.put("error", a.error());
    }
    if (job == null) {
      n.putNull("job");
    } else {
      n.set("job", jobSummary(job));
    }
    n.set("evidence", evidence);
    putTaskTimes(n, t, clock);
    return n;
  }

  /**
   * A task in the listing across runs: what it did and how it ended, its run (with who triggered
   * it) and links to the run and to the task's own page with its attempts, logs and evidence.
   */
  static ObjectNode taskInRun(TaskInRun listed, String project, Clock clock) {
    Task t = listed.task();
    ObjectNode n = Json.object();
    n.put("runId", t.runId());
    n.put("workflow", listed.workflow());
    n.put("runAction", listed.runAction());
    n.put("triggeredBy", listed.triggeredBy());
    n.put("name", t.name());
    n.put("step", t.step());
    n.put("subjectKey", t.subjectKey());
    n.put("action", t.action());
    n.put("actionRevision", t.actionRevision());
    n.put("status", t.status().wire());
    n.put("skipReason", t.skipReason() == null ? null : t.skipReason().wire());
    n.set("failure", t.failure() == null ? null : Json.MAPPER.valueToTree(t.failure()));
    n.put("attemptCount", t.attempts());
    putTaskTimes(n, t, clock);
    String run = "/api/runs/" + segment(t.runId());
    String query = "default".equals(project) ? "" : "?project=" + segment(project);
    ObjectNode links = n.putObject("links");
    links.put("run", run + query);
    links.put("task", run + "/tasks/" + segment(t.name()) + query);
    return n;
  }

  private static void putTaskTimes(ObjectNode n, Task t, Clock clock) {
    n.put("createdAt", Times.format(t.createdAt()));
    n.put("updatedAt", Times.format(t.updatedAt()));
    n.put("startedAt", Times.format(t.startedAt()));
    n.put("completedAt", Times.format(t.completedAt()));
    putDuration(n, t.startedAt(), t.completedAt(), clock);
  }

  /** A path segment, percent-encoded (a task name may hold brackets and spaces). */
  private static String segment(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  static ObjectNode jobSummary(Job j) {
    ObjectNode n = Json.object();
    n.put("id", j.id());
    n.put("state", j.state().wire());
    ObjectNode p = n.putObject("progress");
    p.put("percent", j.progressPercent());
    p.put("message", j.progressMessage());
    return n;
  }

  static ObjectNode job(Job j) {
    ObjectNode n = jobSummary(j);
    n.put("project", j.project());
    n.put("runId", j.runId());
    n.put("taskName", j.taskName());
    n.put("priority", j.priority());
    n.put("attempt", j.attempt());
    n.put("availableAt", Times.format(j.availableAt()));
    n.put("leaseOwner", j.leaseOwner());
    n.put("leaseExpiresAt", Times.format(j.leaseExpiresAt()));
    n.put("heartbeatAt", Times.format(j.heartbeatAt()));
    n.put("timerDue", Times.format(j.timerDue()));
    n.put("abortRequested", j.abortRequested());
    n.put("createdAt", Times.format(j.createdAt()));
    n.put("updatedAt", Times.format(j.updatedAt()));
    return n;
  }

  static ObjectNode definition(DefinitionRevision d) {
    ObjectNode n = Json.object();
    n.put("kind", d.kind());
    n.put("name", d.name());
    n.put("project", d.project());
    n.put("revision", d.revision());
    n.put("definitionHash", d.definitionHash());
    n.set("definition", d.definition());
    n.put("createdAt", Times.format(d.createdAt()));
    n.put("createdBy", d.createdBy());
    n.put("archived", d.archivedAt() != null);
    n.put("archivedAt", Times.format(d.archivedAt()));
    return n;
  }

  static ObjectNode audit(AuditEvent e) {
    ObjectNode n = Json.object();
    if (e.seq() == null) {
      n.putNull("seq");
    } else {
      n.put("seq", e.seq());
    }
    n.put("id", e.id());
    n.put("at", Times.format(e.at()));
    n.put("project", e.project());
    n.put("actor", e.actor());
    n.put("type", e.type());
    n.put("runId", e.runId());
    n.put("taskName", e.taskName());
    n.put("target", e.target());
    n.set("details", e.details());
    n.put("prevHash", e.prevHash());
    n.put("hash", e.hash());
    return n;
  }

  static ObjectNode token(ApiToken t) {
    ObjectNode n = Json.object();
    n.put("id", t.id());
    n.put("name", t.name());
    n.put("role", t.role().wire());
    n.set("projects", t.projects() == null ? null : Json.MAPPER.valueToTree(t.projects()));
    n.put("createdAt", Times.format(t.createdAt()));
    n.put("createdBy", t.createdBy());
    n.put("revokedAt", Times.format(t.revokedAt()));
    n.put("expiresAt", Times.format(t.expiresAt()));
    n.put("lastUsedAt", Times.format(t.lastUsedAt()));
    n.put("hint", t.hint());
    return n;
  }

  /** A page: {@code {items, nextCursor}}. */
  static ObjectNode page(List<? extends JsonNode> items, String nextCursor) {
    ObjectNode n = Json.object();
    ArrayNode list = n.putArray("items");
    items.forEach(list::add);
    n.put("nextCursor", nextCursor);
    return n;
  }

  private static void putDuration(ObjectNode n, Instant started, Instant completed, Clock clock) {
    if (started == null) {
      n.putNull("durationMs");
      return;
    }
    Instant end = completed != null ? completed : clock.instant();
    n.put("durationMs", Duration.between(started, end).toMillis());
  }
}
