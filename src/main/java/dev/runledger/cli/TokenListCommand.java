package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runledger token list}: the API tokens (never their values). */
@Command(
    name = "list",
    description = "List API tokens (ids, names, hints, roles, expiry, last use; never the values).")
final class TokenListCommand extends ClientCommand {

  @Mixin OutputOptions output = new OutputOptions();

  TokenListCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    JsonNode page = client.getAllPages("/api/tokens");
    if (output.structured()) {
      output.print(out(), page);
      return 0;
    }
    Table table =
        new Table("ID", "NAME", "HINT", "ROLE", "PROJECTS", "CREATED", "EXPIRES", "LAST USED");
    JsonNode items = page.isArray() ? page : page.path("items");
    for (JsonNode t : items) {
      List<String> projects = new ArrayList<>();
      t.path("projects").forEach(p -> projects.add(p.asText()));
      table.row(
          Json.text(t, "id"),
          Json.text(t, "name"),
          Json.text(t, "hint"),
          Json.text(t, "role"),
          projects.isEmpty() ? "all" : String.join(",", projects),
          Formats.shortTime(Json.text(t, "createdAt")),
          t.hasNonNull("expiresAt") ? Formats.shortTime(Json.text(t, "expiresAt")) : "never",
          t.hasNonNull("lastUsedAt") ? Formats.shortTime(Json.text(t, "lastUsedAt")) : "never");
    }
    if (table.isEmpty()) {
      out().println("no tokens");
    } else {
      table.print(out());
    }
    return 0;
  }
}
