package dev.runledger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger runs logs RUN_ID TASK}: an attempt's log, or its live stream. */
@Command(
    name = "logs",
    description = {
      "Print a task attempt's log lines (timestamp stream line).",
      "With --follow, stream them until the attempt ends."
    })
final class RunLogsCommand extends ScopedCommand {

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Parameters(index = "1", paramLabel = "TASK")
  String task;

  @Option(
      names = "--attempt",
      paramLabel = "N",
      description = "Attempt number (default: the last).")
  Integer attempt;

  @Option(
      names = {"-f", "--follow"},
      description = "Stream new lines until the attempt ends.")
  boolean follow;

  RunLogsCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    String path = "/api/runs/" + Query.segment(runId) + "/tasks/" + Query.segment(task) + "/logs";
    Query query = Query.of().add("attempt", attempt);
    if (!follow) {
      String text = client.getText(path, query);
      text.lines().forEach(out()::println);
      return 0;
    }
    ServerSentEvents events =
        new ServerSentEvents(
            (type, data) -> {
              if (type == null || type.equals("message") || type.equals("log")) {
                out().println(data);
                out().flush();
                return true;
              }
              return !(type.equals("end") || type.equals("done") || type.equals("close"));
            });
    try {
      client.streamLines(path, query.add("follow", "true"), "text/event-stream", events);
    } catch (ServerSentEvents.Stop finished) {
      // the server said the attempt ended
    }
    events.flush();
    return 0;
  }
}
