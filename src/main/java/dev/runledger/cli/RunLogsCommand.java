package dev.runledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.LogText;
import java.util.List;
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
      printLines(client.getText(path, query));
      return 0;
    }
    ServerSentEvents events = new ServerSentEvents(this::onEvent);
    try {
      client.streamLines(path, query.add("follow", "true"), "text/event-stream", events);
    } catch (ServerSentEvents.Stop finished) {
      // the server said the attempt ended
    }
    events.flush();
    return 0;
  }

  /**
   * Prints the text log a line at a time: lines end only at a newline (a carriage return inside a
   * line cannot start a forged one) and control characters are shown as escapes.
   */
  private void printLines(String text) {
    if (text.isEmpty()) {
      return;
    }
    for (String line : text.split("\n")) {
      out().println(LogText.visible(line));
    }
  }

  /** {@code line} events ({at, stream, line}) are printed as the text log prints them. */
  private boolean onEvent(String type, String data) {
    JsonNode line = "line".equals(type) ? lineEvent(data) : null;
    if (line != null) {
      out()
          .println(
              Json.textOr(line, "at", "")
                  + " "
                  + Json.textOr(line, "stream", "")
                  + " "
                  + LogText.visible(Json.textOr(line, "line", "")));
      out().flush();
      return true;
    }
    if (type == null || List.of("message", "log", "line").contains(type)) {
      printLines(data);
      out().flush();
      return true;
    }
    return !(type.equals("end") || type.equals("done") || type.equals("close"));
  }

  private static JsonNode lineEvent(String data) {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
