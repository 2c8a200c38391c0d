package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code runledger hooks rotate WORKFLOW}: makes a new webhook secret and prints the URL once. */
@Command(
    name = "rotate",
    description =
        "Make (or replace) a workflow's webhook secret and print its URL; the URL is shown only"
            + " once and the previous one stops working.")
final class HookRotateCommand extends ScopedCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW", description = "Workflow name.")
  String workflow;

  @Mixin OutputOptions output = new OutputOptions();

  HookRotateCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    JsonNode answer =
        client.postJson("/api/workflows/" + workflow + "/hook", null, Map.of(), Map.of()).json();
    if (output.structured()) {
      output.print(out(), answer);
      return 0;
    }
    out().println("url: " + Json.text(answer, "url"));
    err().println("store the URL now: its secret is not shown again");
    return 0;
  }
}
