package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger approvals approve|reject ID}: decides one approval. */
@Command(name = "decide")
final class ApprovalDecisionCommand extends ScopedCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The approval id (apr_...).")
  String id;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Recorded with the decision.")
  String comment;

  private final String decision;

  /**
   * @param decision {@code approve} or {@code reject}: the route's last segment
   */
  ApprovalDecisionCommand(ClientEnvironment env, String decision) {
    super(env);
    this.decision = decision;
  }

  String description() {
    return decision.equals("approve")
        ? "Approve a pending approval: its task may run."
        : "Reject a pending approval: its task is skipped (approval-rejected).";
  }

  @Override
  int run(RunledgerClient client) {
    Map<String, Object> body = new HashMap<>();
    body.put("comment", comment);
    JsonNode approval =
        client
            .postJson("/api/approvals/" + Query.segment(id) + "/" + decision, null, body, Map.of())
            .json();
    out()
        .println(
            Json.textOr(approval, "id", id)
                + " "
                + Json.textOr(
                    approval, "state", decision.equals("approve") ? "approved" : "rejected")
                + (approval.hasNonNull("taskName")
                    ? " (run "
                        + Json.text(approval, "runId")
                        + ", task "
                        + approval.get("taskName").asText()
                        + ")"
                    : ""));
    String decided = Json.text(approval, "state");
    String wanted = decision.equals("approve") ? "approved" : "rejected";
    if (decided != null && !decided.equals(wanted)) {
      // Deciding twice answers with the first decision: say so, and do not report success.
      err().println("approval " + id + " was already " + decided + "; nothing changed");
      return ExitCodes.REJECTED;
    }
    return 0;
  }
}
