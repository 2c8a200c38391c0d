package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code runledger audit verify}: recomputes the audit hash chain on the server. */
@Command(
    name = "verify",
    description = {
      "Recompute the audit trail's hash chain and report the first event that does not match.",
      "Exit code 1 when the chain is broken."
    })
final class AuditVerifyCommand extends ScopedCommand {

  AuditVerifyCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    JsonNode result = client.getJson("/api/audit/verify", null);
    if (!result.path("ok").isBoolean()) {
      throw new CliException("the server's answer has no 'ok' field: " + Json.write(result));
    }
    long events = result.path("events").asLong();
    if (result.get("ok").asBoolean()) {
      out()
          .println(
              "ok: "
                  + events
                  + " events, head "
                  + Json.textOr(result, "headHash", "(none: the trail is empty)"));
      return 0;
    }
    out()
        .println(
            "audit trail INVALID: first invalid event seq "
                + Json.textOr(result, "firstInvalidSeq", "?")
                + " ("
                + events
                + " events checked)");
    return 1;
  }
}
