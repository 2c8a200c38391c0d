package dev.runledger.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger trigger NAME}: starts a run of a workflow, or of an action on its own. */
@Command(
    name = "trigger",
    description = {
      "Start a run of a workflow (or, when no workflow has that name, of the action) and print its id.",
      "With --watch, follow it to the end; the exit code is 0 only if the run completed.",
      "With -o json|yaml, print the run instead of its id (with --watch, the run as it ended)."
    })
final class TriggerCommand extends ScopedCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Workflow or action name.")
  String name;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "KEY=VALUE",
      description =
          "A parameter; repeatable. VALUE is read as JSON when it is JSON (14, true, [1,2],"
              + " {\"a\":1}, \"quoted\"), otherwise as a string.")
  List<String> params = new ArrayList<>();

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A run label; repeatable.")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Sent as Idempotency-Key: the same key again returns the run it made.")
  String idempotencyKey;

  @Option(names = "--watch", description = "Follow the run to its end, showing progress and logs.")
  boolean watch;

  @Mixin OutputOptions output = new OutputOptions();

  @Option(names = "--action", description = "NAME is an action: trigger a one-off action run.")
  boolean action;

  @Option(names = "--workflow", description = "NAME is a workflow: do not fall back to an action.")
  boolean workflow;

  TriggerCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) throws InterruptedException {
    if (action && workflow) {
      throw new UsageException("--action and --workflow exclude each other");
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode parameters = body.putObject("parameters");
    for (Map.Entry<String, String> p : pairs(params, "-p").entrySet()) {
      parameters.set(p.getKey(), Json.parameterValue(p.getValue()));
    }
    Map<String, String> labelMap = pairs(labels, "--label");
    if (!labelMap.isEmpty()) {
      ObjectNode l = body.putObject("labels");
      labelMap.forEach(l::put);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }

    RunledgerClient.Response response = trigger(client, body, headers);
    if ("true".equalsIgnoreCase(response.header("Idempotent-Replayed"))) {
      err().println("note: idempotency key already used: this is the run it started before");
      err().flush();
    }
    return startedRun(client, response.json(), "trigger", watch, output);
  }

  private RunledgerClient.Response trigger(
      RunledgerClient client, ObjectNode body, Map<String, String> headers) {
    String actionPath = "/api/actions/" + Query.segment(name) + "/trigger";
    if (action) {
      return client.postJson(actionPath, null, body, headers);
    }
    try {
      return client.postJson(
          "/api/workflows/" + Query.segment(name) + "/trigger", null, body, headers);
    } catch (ApiException e) {
      if (e.status() != 404 || workflow) {
        throw e;
      }
    }
    try {
      return client.postJson(actionPath, null, body, headers);
    } catch (ApiException e) {
      if (e.status() == 404) {
        throw new ApiException(
            404, "Not Found", "no workflow or action named '" + name + "'", List.of());
      }
      throw e;
    }
  }

  /** {@code key=value} options as a map, in order; a key given twice is an error. */
  static Map<String, String> pairs(List<String> items, String option) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(option + " '" + item + "' must have the form key=value");
      }
      String key = item.substring(0, eq).trim();
      if (map.put(key, item.substring(eq + 1)) != null) {
        throw new UsageException(option + " '" + key + "' is given more than once");
      }
    }
    return map;
  }
}
