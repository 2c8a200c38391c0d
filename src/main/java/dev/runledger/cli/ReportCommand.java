package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runledger report --from DATE --to DATE}: runs and task outcomes per workflow. */
@Command(
    name = "report",
    description = {
      "Runs by status and tasks by outcome, per workflow and step, over a period, with totals,",
      "and the approvals decided (who, when, why)."
    })
final class ReportCommand extends ScopedCommand {
  @Mixin RunSelection selection = new RunSelection();

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DATE",
      description = "Start of the period: a date (2026-11-01) or an RFC 3339 timestamp.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DATE",
      description = "End of the period: a date or an RFC 3339 timestamp.")
  String to;

  @Option(
      names = "--group-by",
      paramLabel = "FIELD",
      defaultValue = "workflow",
      description = "Grouping (default: ${DEFAULT-VALUE}).")
  String groupBy;

  @Mixin OutputOptions output = new OutputOptions();

  ReportCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    // validated here so that a typo fails before the request; sent as typed, so that the server
    // decides how a bare date bounds the period
    Formats.since(from, env.clock());
    Formats.since(to, env.clock());
    JsonNode report =
        client.getJson(
            "/api/reports/runs",
            selection.addTo(Query.of().add("from", from).add("to", to).add("groupBy", groupBy)));
    JsonNode groups = groups(report);
    if (output.structured() || groups == null) {
      output.print(out(), report);
      return 0;
    }
    Table table =
        new Table(
            groupBy.toUpperCase(java.util.Locale.ROOT),
            "RUNS",
            "BY STATUS",
            "TASKS BY OUTCOME",
            "ACTIONS",
            "APPROVALS",
            "RETRIES",
            "RECOVERED",
            "CANCELLED");
    for (JsonNode group : groups) {
      table.row(
          label(group),
          total(group.path("runs")),
          counts(group.path("runs")),
          counts(group.path("tasks")),
          group.path("actionsInvoked").asText(""),
          counts(group.path("approvalsDecided")),
          group.path("retries").asText(""),
          group.path("recovered").asText(""),
          group.path("cancellations").asText(""));
      for (JsonNode step : group.path("steps")) {
        table.row(
            "  " + Json.text(step, "step"),
            "",
            "",
            counts(step.path("tasks")),
            "",
            "",
            step.path("retries").asText(""),
            step.path("recovered").asText(""),
            "");
      }
    }
    JsonNode totals = report.path("totals");
    if (totals.isObject()) {
      table.row(
          "TOTAL",
          total(totals.path("runs")),
          counts(totals.path("runs")),
          counts(totals.path("tasks")),
          totals.path("actionsInvoked").asText(""),
          counts(totals.path("approvalsDecided")),
          totals.path("retries").asText(""),
          totals.path("recovered").asText(""),
          totals.path("cancellations").asText(""));
    }
    if (table.isEmpty()) {
      out().println("no runs in this period");
    } else {
      table.print(out());
    }
    printDecisions(report.path("approvals"));
    return 0;
  }

  /** The approvals decided over the period: who decided what, when and why. */
  private void printDecisions(JsonNode approvals) {
    if (!approvals.isArray() || approvals.isEmpty()) {
      return;
    }
    Table table = new Table("DECIDED", "DECISION", "BY", "RUN", "TASK", "COMMENT");
    for (JsonNode a : approvals) {
      table.row(
          Formats.shortTime(Json.text(a, "decidedAt")),
          Json.text(a, "decision"),
          Json.text(a, "decidedBy"),
          Json.text(a, "runId"),
          Json.text(a, "taskName"),
          Json.text(a, "comment"));
    }
    out().println();
    out().println("Approvals decided:");
    table.print(out());
  }

  /** The group's name: its workflow, or {@code action:<name>} for one-off action runs. */
  private String label(JsonNode group) {
    String name = firstText(group, groupBy, "workflow", "name", "key", "group");
    if (name == null && Json.text(group, "action") != null) {
      return "action:" + Json.text(group, "action");
    }
    return name;
  }

  private static JsonNode groups(JsonNode report) {
    for (String field : List.of("items", "groups", "workflows")) {
      JsonNode node = report.path(field);
      if (node.isArray()) {
        return node;
      }
    }
    return null;
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String f : fields) {
      String value = Json.text(node, f);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** A count map's entry {@code total}, or the sum of its entries; a plain number as itself. */
  private static String total(JsonNode counts) {
    if (counts.isNumber()) {
      return counts.asText();
    }
    if (!counts.isObject()) {
      return null;
    }
    if (counts.has("total")) {
      return counts.get("total").asText();
    }
    long sum = 0;
    for (JsonNode v : counts) {
      sum += v.asLong();
    }
    return String.valueOf(sum);
  }

  private static String counts(JsonNode counts) {
    if (!counts.isObject()) {
      return counts.isMissingNode() || counts.isNull() ? null : counts.asText();
    }
    List<String> parts = new ArrayList<>();
    counts
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("total") && e.getValue().asLong() > 0) {
                parts.add(e.getValue().asLong() + " " + e.getKey());
              }
            });
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }
}
