package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger runs rerun RUN_ID}: a new, independent run with the same parameters. */
@Command(
    name = "rerun",
    description = {
      "Start a new run with the same parameters and print its id.",
      "It is pinned to the same definition hash unless --no-pin."
    })
final class RunRerunCommand extends ScopedCommand {

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Option(
      names = "--no-pin",
      description = "Use the definition's latest revision instead of the original one.")
  boolean noPin;

  @Option(names = "--watch", description = "Follow the new run to its end.")
  boolean watch;

  @Mixin OutputOptions output = new OutputOptions();

  RunRerunCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) throws InterruptedException {
    JsonNode run =
        client
            .postJson(
                "/api/runs/" + Query.segment(runId) + "/rerun",
                null,
                Map.of("pin", !noPin),
                Map.of())
            .json();
    return startedRun(client, run, "rerun", watch, output);
  }
}
