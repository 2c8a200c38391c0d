package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runledger audit anchor --out FILE}: writes the audit chain's head (position and hash) to a
 * file kept apart from the server, so that {@code audit verify --anchor FILE} later detects a trail
 * cut back and re-appended.
 */
@Command(
    name = "anchor",
    description = {
      "Write the audit chain's head (seq and hash) to a file, after verifying the chain.",
      "Keep the file away from the server; check it later with audit verify --anchor FILE."
    })
final class AuditAnchorCommand extends ScopedCommand {

  @Option(
      names = {"--out", "-o"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write the anchor (JSON: seq, hash, events).")
  Path outFile;

  AuditAnchorCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    JsonNode result = client.getJson("/api/audit/verify", null);
    if (!result.path("ok").asBoolean(false)) {
      out()
          .println(
              "audit trail INVALID: first invalid event seq "
                  + Json.textOr(result, "firstInvalidSeq", "?")
                  + "; no anchor written");
      return ExitCodes.FAILED;
    }
    if (!result.path("headSeq").canConvertToLong() || result.path("headHash").isNull()) {
      throw new CliException("the audit trail is empty: nothing to anchor");
    }
    ObjectNode anchor = JsonNodeFactory.instance.objectNode();
    anchor.put("seq", result.get("headSeq").asLong());
    anchor.put("hash", result.get("headHash").asText());
    anchor.put("events", result.path("events").asLong());
    anchor.put("at", env.clock().instant().toString());
    try {
      Files.writeString(outFile, Json.write(anchor) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot write " + outFile + ": " + e.getMessage());
    }
    out().println("anchor: seq " + anchor.get("seq") + " hash " + anchor.get("hash").asText());
    return 0;
  }
}
