package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Artifact;
import dev.runledger.model.Attempt;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of evidence: a task's {@code evidence}, artifacts, and lineage graphs. */
final class EvidenceViews {
  private EvidenceViews() {}

  /**
   * A task's evidence, from its last attempt: the command as executed (rendered, secrets masked;
   * the definition's argv when the attempt recorded none), a script action's script, executable and
   * runtime, the http request and response, host, exit code, timing, files consumed and produced,
   * output values, and output sizes.
   *
   * @param definedCommand a command action's {@code run} (an argv) or {@code script} (a string)
   */
  static ObjectNode evidence(
      Tx tx,
      Run run,
      Task t,
      List<Attempt> attempts,
      JsonNode definedCommand,
      java.util.function.Supplier<long[]> logBytes,
      Clock clock) {
    ObjectNode n = Json.object();
    Attempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    JsonNode recorded =
        last == null
            ? null
            : tx.attempts().evidence(run.id(), t.name(), last.number()).orElse(null);
    JsonNode command = recorded != null && recorded.has("command") ? recorded.get("command") : null;
    // A script action runs its script file: the argv names the file, the script is its text.
    boolean script = definedCommand != null && definedCommand.isTextual();
    n.set("command", command != null || script ? command : definedCommand);
    n.put("script", script ? definedCommand.asText() : null);
    n.put("attempt", last == null ? null : last.number());
    n.set("executable", recorded == null ? null : recorded.get("executable"));
    n.set("runtime", recorded == null ? null : runtime(recorded.get("runtime")));
    // An http attempt's request and response as sent and received (secrets masked).
    n.set("http", recorded == null ? null : recorded.get("http"));
    n.put("host", last == null ? null : last.host());
    n.put("exitCode", last == null ? null : last.exitCode());
    n.put("httpStatus", last == null ? null : last.httpStatus());
    n.put("startedAt", last == null ? null : Times.format(last.startedAt()));
    n.put("endedAt", last == null ? null : Times.format(last.endedAt()));
    if (last == null || last.startedAt() == null) {
      n.putNull("durationMs");
    } else {
      n.put(
          "durationMs",
          Duration.between(
                  last.startedAt(), last.endedAt() == null ? clock.instant() : last.endedAt())
              .toMillis());
    }
    ArrayNode inputs = n.putArray("inputs");
    ArrayNode outputs = n.putArray("outputs");
    if (last != null) {
      for (Artifact a : tx.artifacts().forAttempt(run.id(), t.name(), last.number())) {
        (Artifact.CONSUMED.equals(a.direction()) ? inputs : outputs).add(file(a));
      }
    }
    n.set("outputValues", t.outputs());
    n.put("logsPrunedAt", Times.format(tx.retention().logsPrunedAt(run.id())));
    n.put(
        "stdoutBytes",
        recorded != null && recorded.has("stdoutBytes")
            ? recorded.get("stdoutBytes").asLong()
            : logBytes.get()[0]);
    n.put(
        "stderrBytes",
        recorded != null && recorded.has("stderrBytes")
            ? recorded.get("stderrBytes").asLong()
            : logBytes.get()[1]);
    return n;
  }

  /** One artifact: {@code {name, sha256, size, mediaType}}. */

  /**
   * The runtime an attempt ran on: {@code jvm} and {@code os}. Stored as {@code java}, a name that
   * generated clients cannot use for a field (it shadows the {@code java} packages).
   */
  private static JsonNode runtime(JsonNode stored) {
    if (stored == null || !stored.isObject()) {
      return stored;
    }
    ObjectNode shown = Json.object();
    shown.set("jvm", stored.get("java"));
    shown.set("os", stored.get("os"));
    return shown;
  }

  static ObjectNode file(Artifact a) {
    ObjectNode n = Json.object();
    n.put("name", a.name());
    n.put("sha256", a.sha256());
    n.put("size", a.size());
    n.put("mediaType", a.mediaType());
    return n;
  }

  /** An artifact of a run's file list, with its task and direction. */
  static ObjectNode runFile(Artifact a, boolean pruned) {
    ObjectNode n = file(a);
    n.put("task", a.taskName());
    n.put("attempt", a.attempt());
    n.put("direction", a.direction());
    n.put("runId", a.runId());
    n.put("createdAt", Times.format(a.createdAt()));
    n.put("pruned", pruned);
    return n;
  }

  /**
   * The graph artifact -> task -> artifact of some artifact records: an artifact node per content,
   * a task node per (run, task); {@code consumed} edges go from an artifact to a task, {@code
   * produced} edges from a task to an artifact.
   */
  static ObjectNode lineage(List<Artifact> artifacts, Map<String, String> taskStatus) {
    Map<String, ObjectNode> nodes = new LinkedHashMap<>();
    Map<String, ObjectNode> edges = new LinkedHashMap<>();
    for (Artifact a : artifacts) {
      String artifactId = a.sha256();
      String taskId = a.runId() + "/" + a.taskName();
      nodes.computeIfAbsent(
          artifactId,
          k -> {
            ObjectNode n = Json.object();
            n.put("id", k);
            n.put("type", "artifact");
            n.put("sha256", a.sha256());
            n.put("name", a.name());
            n.put("size", a.size());
            n.put("mediaType", a.mediaType());
            return n;
          });
      nodes.computeIfAbsent(
          taskId,
          k -> {
            ObjectNode n = Json.object();
            n.put("id", k);
            n.put("type", "task");
            n.put("runId", a.runId());
            n.put("task", a.taskName());
            n.put("status", taskStatus.get(k));
            return n;
          });
      boolean consumed = Artifact.CONSUMED.equals(a.direction());
      String from = consumed ? artifactId : taskId;
      String to = consumed ? taskId : artifactId;
      String key = from + "|" + to + "|" + a.direction();
      edges.computeIfAbsent(
          key,
          k -> {
            ObjectNode e = Json.object();
            e.put("from", from);
            e.put("to", to);
            e.put("type", a.direction());
            e.put("name", a.name());
            return e;
          });
    }
    ObjectNode out = Json.object();
    ArrayNode n = out.putArray("nodes");
    nodes.values().forEach(n::add);
    ArrayNode e = out.putArray("edges");
    edges.values().forEach(e::add);
    return out;
  }
}
