package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runledger events send}: posts a CloudEvents 1.0 event and prints the runs it started. */
@Command(
    name = "send",
    description = "Send a CloudEvents 1.0 event; every workflow listening for it starts a run.")
final class EventSendCommand extends ScopedCommand {
  @Option(names = "--type", required = true, paramLabel = "TYPE", description = "Event type.")
  String type;

  @Option(names = "--source", required = true, paramLabel = "SOURCE", description = "Source.")
  String source;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Event id; the same source and id again starts nothing (default: random).")
  String id;

  @Option(names = "--subject", paramLabel = "SUBJECT", description = "Subject of the event.")
  String subject;

  @Option(names = "--data", paramLabel = "JSON", description = "The event's data, as JSON.")
  String data;

  @Mixin OutputOptions output = new OutputOptions();

  EventSendCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    ObjectNode event =
        Json.MAPPER
            .createObjectNode()
            .put("specversion", "1.0")
            .put("id", id != null ? id : UUID.randomUUID().toString())
            .put("source", source)
            .put("type", type);
    if (subject != null) {
      event.put("subject", subject);
    }
    if (data != null) {
      try {
        event.set("data", Json.MAPPER.readTree(data));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UsageException("--data is not JSON: " + e.getOriginalMessage());
      }
    }
    JsonNode answer = client.postJson("/api/events", null, event, Map.of()).json();
    if (output.structured()) {
      output.print(out(), answer);
      return 0;
    }
    JsonNode runs = answer.path("runs");
    out()
        .println(
            "event "
                + Json.text(answer, "eventId")
                + (answer.path("duplicate").asBoolean()
                    ? " (sent before: nothing new started)"
                    : ""));
    if (runs.isEmpty()) {
      out().println("no workflow started");
    }
    runs.forEach(r -> out().println("run " + r.asText()));
    return 0;
  }
}
