package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code runledger runs show RUN_ID}: a run's summary and its tasks. */
@Command(name = "show", description = "Show a run: its summary and its tasks in plan order.")
final class RunShowCommand extends ScopedCommand {

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Mixin OutputOptions output = new OutputOptions();

  RunShowCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    String path = "/api/runs/" + Query.segment(runId);
    JsonNode run = client.getJson(path, null);
    List<JsonNode> tasks = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          client.getJson(path + "/tasks", Query.of().add("limit", 500).add("cursor", cursor));
      page.path("items").forEach(tasks::add);
      cursor = Json.text(page, "nextCursor");
    } while (cursor != null && !cursor.isEmpty());

    if (output.structured()) {
      ObjectNode both = Json.MAPPER.createObjectNode();
      both.set("run", run);
      both.putArray("tasks").addAll(tasks);
      output.print(out(), both);
      return 0;
    }
    Table summary = new Table("FIELD", "VALUE");
    summary.row("id", Json.text(run, "id"));
    String revision = Json.text(run, "revision");
    summary.row(
        "definition",
        RunsCommand.definitionName(run)
            + (revision == null ? "" : " revision " + revision)
            + (run.hasNonNull("definitionHash")
                ? " (" + run.get("definitionHash").asText() + ")"
                : ""));
    summary.row("status", Json.text(run, "status"));
    JsonNode trigger = run.path("trigger");
    summary.row(
        "trigger",
        Json.textOr(trigger, "type", "?")
            + (trigger.hasNonNull("source") ? " via " + trigger.get("source").asText() : "")
            + (run.hasNonNull("triggeredBy") ? " by " + run.get("triggeredBy").asText() : ""));
    summary.row("project", Json.text(run, "project"));
    if (run.path("parameters").size() > 0)
      summary.row("parameters", Json.write(run.get("parameters")));
    if (run.path("labels").size() > 0) summary.row("labels", Json.write(run.get("labels")));
    summary.row("created", Json.text(run, "createdAt"));
    summary.row("started", Json.text(run, "startedAt"));
    summary.row("completed", Json.text(run, "completedAt"));
    if (run.hasNonNull("durationMs")) {
      summary.row("duration", Formats.duration(run.get("durationMs").asLong()));
    }
    List<String> counts = new ArrayList<>();
    run.path("counts")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().asLong() > 0) counts.add(e.getValue().asLong() + " " + e.getKey());
            });
    if (!counts.isEmpty()) summary.row("tasks", String.join(", ", counts));
    JsonNode review = run.path("review");
    if (review.hasNonNull("status")) {
      summary.row(
          "review",
          review.get("status").asText()
              + (review.hasNonNull("by") ? " by " + review.get("by").asText() : "")
              + (review.hasNonNull("comment") ? ": " + review.get("comment").asText() : ""));
    }
    JsonNode cancel = run.path("cancel");
    if (cancel.isObject()) summary.row("cancel", Json.write(cancel));
    if (run.hasNonNull("rerunOf")) summary.row("rerun of", run.get("rerunOf").asText());
    if (run.hasNonNull("parentRun")) summary.row("parent run", run.get("parentRun").asText());
    summary.print(out());

    out().println();
    if (tasks.isEmpty()) {
      out().println("no tasks");
      return 0;
    }
    Table table = new Table("TASK", "STATUS", "ATTEMPTS", "DURATION", "RESULT OR CAUSE");
    for (JsonNode task : tasks) {
      String status = Json.text(task, "status");
      String detail;
      if ("failed".equals(status)) {
        detail = Json.text(task.path("failure"), "cause");
      } else if ("skipped".equals(status)) {
        detail = Json.text(task, "skipReason");
      } else if ("idempotent-replay".equals(status) && task.path("replayOf").isObject()) {
        JsonNode of = task.get("replayOf");
        String ref = Json.text(task.path("result"), "ref");
        detail =
            (ref == null ? "" : ref + " ")
                + "(replays run "
                + Json.text(of, "runId")
                + ", task "
                + Json.text(of, "taskName")
                + ")";
      } else if ("running".equals(status)
          && task.path("job").path("progress").hasNonNull("percent")) {
        JsonNode p = task.path("job").path("progress");
        detail =
            p.get("percent").asInt()
                + "%"
                + (p.hasNonNull("message") ? " " + p.get("message").asText() : "");
      } else {
        detail = Json.text(task.path("result"), "ref");
      }
      table.row(
          Json.text(task, "name"),
          status,
          String.valueOf(task.path("attempts").size()),
          task.hasNonNull("durationMs") ? Formats.duration(task.get("durationMs").asLong()) : null,
          detail);
    }
    table.print(out(), colours());
    return 0;
  }
}
