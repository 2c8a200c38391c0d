package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runledger approvals}: lists approval requests. */
@Command(
    name = "approvals",
    description = {"List approvals, newest first.", "Subcommands approve and reject decide one."})
final class ApprovalsCommand extends ScopedCommand {

  @Option(names = "--pending", description = "Only approvals still waiting for a decision.")
  boolean pending;

  @Option(names = "--state", paramLabel = "STATE", description = "Only approvals in this state.")
  String state;

  @Option(names = "--limit", paramLabel = "N", description = "At most N approvals.")
  Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue a previous listing.")
  String cursor;

  @Mixin OutputOptions output = new OutputOptions();

  ApprovalsCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    if (pending && state != null && !state.equals("pending")) {
      throw new UsageException("--pending and --state " + state + " exclude each other");
    }
    JsonNode page =
        client.getJson(
            "/api/approvals",
            Query.of()
                .add("state", pending ? "pending" : state)
                .add("limit", limit)
                .add("cursor", cursor));
    if (output.structured()) {
      output.print(out(), page);
      return 0;
    }
    Table table =
        new Table("ID", "RUN", "TASK", "ROLE", "STATE", "REQUESTED", "EXPIRES", "DECIDED BY");
    for (JsonNode a : page.path("items")) {
      table.row(
          Json.text(a, "id"),
          Json.text(a, "runId"),
          Json.text(a, "taskName"),
          Json.text(a, "role"),
          Json.text(a, "state"),
          Formats.shortTime(Json.text(a, "requestedAt")),
          Formats.shortTime(Json.text(a, "expiresAt")),
          Json.text(a, "decidedBy"));
    }
    if (table.isEmpty()) {
      out().println(pending ? "no pending approvals" : "no approvals");
    } else {
      table.print(out(), colours());
    }
    String next = Json.text(page, "nextCursor");
    if (next != null) {
      err().println("more approvals: add --cursor " + next);
    }
    return 0;
  }
}
