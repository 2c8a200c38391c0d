package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger schedules fire WORKFLOW [INDEX]}: fires one of a workflow's schedules now. */
@Command(
    name = "fire",
    description = {
      "Fire one of a workflow's schedules now, with that schedule's parameters, and print the run's"
          + " id.",
      "The run's trigger is the schedule (type schedule), fired by you."
    })
final class ScheduleFireCommand extends ScopedCommand {
  @Parameters(index = "0", paramLabel = "WORKFLOW", description = "Workflow name.")
  String workflow;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "INDEX",
      description = "The schedule's position in on.schedule, from 0 (default 0).")
  int index;

  @Option(names = "--watch", description = "Follow the run to its end.")
  boolean watch;

  @Mixin OutputOptions output = new OutputOptions();

  ScheduleFireCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) throws InterruptedException {
    JsonNode run =
        client
            .postJson(
                "/api/workflows/" + Query.segment(workflow) + "/schedules/" + index + "/fire",
                null,
                null,
                Map.of())
            .json();
    return startedRun(client, run, "fire", watch, output);
  }
}
