package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.RunStatus;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runledger runs}: lists runs, newest first, with the API's filters. */
@Command(
    name = "runs",
    description = {"List runs, newest first.", "Subcommands show, follow and act on one run."})
final class RunsCommand extends ScopedCommand {
  @Mixin RunSelection selection = new RunSelection();

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only runs in this status; repeatable.")
  List<String> statuses = new ArrayList<>();

  @Option(
      names = "--action",
      paramLabel = "NAME",
      description = "Only one-off runs of this action.")
  String action;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Only runs created since: an age (30m, 12h, 7d, 2w), a date or RFC 3339.")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "Only runs created before.")
  String until;

  @Option(
      names = "--review",
      paramLabel = "STATE",
      description = "Only runs with this review state.")
  String review;

  @Option(names = "--triggered-by", paramLabel = "PRINCIPAL", description = "Only runs started by.")
  String triggeredBy;

  @Option(
      names = "--sort",
      paramLabel = "FIELD",
      description = "Newest first by createdAt (the default) or completedAt.")
  String sort;

  @Option(names = "--limit", paramLabel = "N", description = "At most N runs (server default 50).")
  Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue a previous listing.")
  String cursor;

  @Mixin OutputOptions output = new OutputOptions();

  RunsCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    for (String status : statuses) {
      try {
        RunStatus.fromWire(status);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--status " + e.getMessage());
      }
    }
    Query query =
        selection
            .addTo(Query.of().addAll("status", statuses))
            .add("action", action)
            .add("triggeredBy", triggeredBy)
            .add("since", since == null ? null : Formats.since(since, env.clock()))
            .add("until", until == null ? null : Formats.since(until, env.clock()))
            .add("review", review)
            .add("sort", sort)
            .add("limit", limit)
            .add("cursor", cursor);
    JsonNode page = client.getJson("/api/runs", query);
    if (output.structured()) {
      output.print(out(), page);
      return 0;
    }
    Table table = new Table("ID", "WORKFLOW/ACTION", "STATUS", "TRIGGER", "CREATED", "DURATION");
    for (JsonNode run : page.path("items")) {
      table.row(
          Json.text(run, "id"),
          definitionName(run),
          Json.text(run, "status"),
          Json.text(run.path("trigger"), "type"),
          Formats.shortTime(Json.text(run, "createdAt")),
          run.hasNonNull("durationMs") ? Formats.duration(run.get("durationMs").asLong()) : null);
    }
    if (table.isEmpty()) {
      out().println("no runs");
    } else {
      table.print(out(), colours());
    }
    String next = Json.text(page, "nextCursor");
    if (next != null) {
      err().println("more runs: add --cursor " + next);
    }
    return 0;
  }

  /** The workflow's name, or {@code action:NAME} for a one-off action run. */
  static String definitionName(JsonNode run) {
    String workflow = Json.text(run, "workflow");
    if (workflow != null) {
      return workflow;
    }
    String action = Json.text(run, "action");
    return action == null ? null : "action:" + action;
  }
}
