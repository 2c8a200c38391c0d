package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runledger tasks}: the action executions across all runs, newest first. */
@Command(
    name = "tasks",
    description = {
      "List tasks (action executions) across all runs, newest first.",
      "Each names its run: see it with runledger runs show RUN_ID."
    })
final class TasksCommand extends ScopedCommand {

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only tasks in this status; repeatable.")
  List<String> statuses = new ArrayList<>();

  @Option(names = "--action", paramLabel = "NAME", description = "Only tasks of this action.")
  String action;

  @Option(
      names = "--triggered-by",
      paramLabel = "PRINCIPAL",
      description = "Only tasks of runs started by.")
  String triggeredBy;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Only tasks planned since: an age (30m, 12h, 7d, 2w), a date or RFC 3339.")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "Only tasks planned before.")
  String until;

  @Option(names = "--limit", paramLabel = "N", description = "At most N tasks (server default 50).")
  Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue a previous listing.")
  String cursor;

  @Mixin OutputOptions output = new OutputOptions();

  TasksCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    for (String status : statuses) {
      try {
        TaskStatus.fromWire(status);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--status " + e.getMessage());
      }
    }
    Query query =
        Query.of()
            .addAll("status", statuses)
            .add("action", action)
            .add("triggeredBy", triggeredBy)
            .add("since", since == null ? null : Formats.since(since, env.clock()))
            .add("until", until == null ? null : Formats.since(until, env.clock()))
            .add("limit", limit)
            .add("cursor", cursor);
    JsonNode page = client.getJson("/api/tasks", query);
    if (output.structured()) {
      output.print(out(), page);
      return 0;
    }
    Table table =
        new Table("STATUS", "TASK", "ACTION", "TRIGGERED BY", "STARTED", "DURATION", "RUN");
    for (JsonNode task : page.path("items")) {
      table.row(
          Json.text(task, "status"),
          Json.text(task, "name"),
          Json.text(task, "action"),
          Json.text(task, "triggeredBy"),
          Formats.shortTime(Json.text(task, "startedAt")),
          task.hasNonNull("durationMs") ? Formats.duration(task.get("durationMs").asLong()) : null,
          Json.text(task, "runId"));
    }
    if (table.isEmpty()) {
      out().println("no tasks");
    } else {
      table.print(out(), colours());
    }
    String next = Json.text(page, "nextCursor");
    if (next != null) {
      err().println("more tasks: add --cursor " + next);
    }
    return 0;
  }
}
