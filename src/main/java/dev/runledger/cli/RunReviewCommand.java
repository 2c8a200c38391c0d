package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runledger runs review RUN_ID --approve|--reject}: a decision on a finished run's results.
 */
@Command(
    name = "review",
    description = {
      "Approve or reject a finished run's results (needs the approver role).",
      "A review never changes the run's execution status."
    })
final class RunReviewCommand extends ScopedCommand {

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Decision decision;

  static final class Decision {
    @Option(names = "--approve", description = "Approve the results.")
    boolean approve;

    @Option(names = "--reject", description = "Reject the results.")
    boolean reject;
  }

  @Option(names = "--comment", description = "Why.")
  String comment;

  RunReviewCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("decision", decision.approve ? "approve" : "reject");
    if (comment != null) {
      body.put("comment", comment);
    }
    JsonNode run =
        client
            .postJson("/api/runs/" + Query.segment(runId) + "/review", null, body, Map.of())
            .json();
    JsonNode review = run.path("review");
    out()
        .println(
            runId
                + " review "
                + review.path("status").asText("?")
                + " by "
                + review.path("by").asText("?")
                + " (run "
                + run.path("status").asText("?")
                + ")");
    out().flush();
    return 0;
  }
}
