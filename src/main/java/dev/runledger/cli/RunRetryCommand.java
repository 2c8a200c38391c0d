package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger runs retry RUN_ID}: new attempts for failed tasks, inside the same run. */
@Command(
    name = "retry",
    description = {
      "Give failed tasks a new attempt inside the same run (same idempotency keys).",
      "Deterministic failures are refused unless --force; --new-key runs them under a new key."
    })
final class RunRetryCommand extends ScopedCommand {

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Option(
      names = "--task",
      paramLabel = "TASK",
      description = "Retry only this task; repeatable (default: every failed task).")
  List<String> tasks = new ArrayList<>();

  @Option(names = "--force", description = "Retry deterministic failures too.")
  boolean force;

  @Option(
      names = "--new-key",
      description =
          "Run the new attempt under a new idempotency key (audited with the old one): for a"
              + " task whose key holds another action's effect.")
  boolean newKey;

  @Option(names = "--watch", description = "Follow the run to its end after the retry.")
  boolean watch;

  RunRetryCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) throws InterruptedException {
    ObjectNode body = Json.MAPPER.createObjectNode();
    if (!tasks.isEmpty()) {
      tasks.forEach(body.putArray("tasks")::add);
    }
    if (force) {
      body.put("force", true);
    }
    if (newKey) {
      body.put("newKey", true);
    }
    JsonNode run =
        client
            .postJson("/api/runs/" + Query.segment(runId) + "/retry", null, body, Map.of())
            .json();
    String id = Json.textOr(run, "id", runId);
    out()
        .println(
            "retry accepted for "
                + id
                + (run.hasNonNull("status") ? ": run is " + run.get("status").asText() : ""));
    out().flush();
    return watch ? new RunWatcher(client, env, out(), err()).watch(id) : 0;
  }
}
