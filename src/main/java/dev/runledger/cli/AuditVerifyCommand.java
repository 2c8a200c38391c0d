package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runledger audit verify}: recomputes the audit hash chain on the server. */
@Command(
    name = "verify",
    description = {
      "Recompute the audit trail's hash chain and report the first event that does not match.",
      "With --anchor FILE (from audit anchor), also check that the chain still passes through",
      "the anchored head, which detects a trail cut back and re-appended.",
      "Exit code 1 when the chain is broken."
    })
final class AuditVerifyCommand extends ScopedCommand {

  @Option(
      names = "--anchor",
      paramLabel = "FILE",
      description = "An anchor written by audit anchor.")
  Path anchorFile;

  AuditVerifyCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    Query query = null;
    if (anchorFile != null) {
      JsonNode anchor;
      try {
        anchor = Json.MAPPER.readTree(Files.readString(anchorFile, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new CliException("cannot read the anchor " + anchorFile + ": " + e.getMessage());
      }
      if (!anchor.path("seq").canConvertToLong() || !anchor.path("hash").isTextual()) {
        throw new CliException(anchorFile + " is not an anchor: it needs seq and hash");
      }
      query =
          Query.of()
              .add("anchorSeq", anchor.get("seq").asText())
              .add("anchorHash", anchor.get("hash").asText());
    }
    JsonNode result = client.getJson("/api/audit/verify", query);
    if (!result.path("ok").isBoolean()) {
      throw new CliException("the server's answer has no 'ok' field: " + Json.write(result));
    }
    long events = result.path("events").asLong();
    if (result.get("ok").asBoolean()) {
      out()
          .println(
              "ok: "
                  + (anchorFile == null ? "" : "passes through the anchor; ")
                  + events
                  + " events, head "
                  + Json.textOr(result, "headHash", "(none: the trail is empty)"));
      return 0;
    }
    if (result.path("anchor").path("ok").isBoolean()
        && !result.path("anchor").path("ok").asBoolean()) {
      out()
          .println(
              "audit trail INVALID: the chain no longer passes through the anchor at seq "
                  + result.path("anchor").path("seq").asText()
                  + " (cut back or rewritten after it; "
                  + events
                  + " events now)");
      return ExitCodes.FAILED;
    }
    out()
        .println(
            "audit trail INVALID: first invalid event seq "
                + Json.textOr(result, "firstInvalidSeq", "?")
                + " ("
                + events
                + " events checked)");
    return ExitCodes.FAILED;
  }
}
