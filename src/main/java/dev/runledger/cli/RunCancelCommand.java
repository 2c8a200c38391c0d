package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger runs cancel RUN_ID} and {@code runs abort RUN_ID}: the same request to the
 * {@code cancel} or {@code abort} route.
 */
@Command(
    name = "cancel",
    description = "Cancel a run: tasks not started are skipped; tasks in flight finish.")
class RunCancelCommand extends ScopedCommand {

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why; recorded in the audit trail.")
  String reason;

  private final String verb;

  RunCancelCommand(ClientEnvironment env) {
    this(env, "cancel");
  }

  RunCancelCommand(ClientEnvironment env, String verb) {
    super(env);
    this.verb = verb;
  }

  @Override
  int run(RunledgerClient client) {
    JsonNode run =
        client
            .postJson(
                "/api/runs/" + Query.segment(runId) + "/" + verb,
                null,
                reason == null ? Map.of() : Map.of("reason", reason),
                Map.of())
            .json();
    out()
        .println(
            verb
                + " requested for "
                + Json.textOr(run, "id", runId)
                + (run.hasNonNull("status") ? ": run is " + run.get("status").asText() : ""));
    return 0;
  }
}
