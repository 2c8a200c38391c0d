package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runledger secrets list}: secret names and when they were set; never values. */
@Command(name = "list", description = "List secret names (values are write-only).")
final class SecretListCommand extends ScopedCommand {
  @Mixin OutputOptions output = new OutputOptions();

  SecretListCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    JsonNode page = client.getAllPages("/api/secrets");
    if (output.structured()) {
      output.print(out(), page);
      return 0;
    }
    Table table = new Table("NAME", "UPDATED", "BY");
    for (JsonNode s : page.path("items")) {
      table.row(
          Json.text(s, "name"),
          Formats.shortTime(Json.text(s, "updatedAt")),
          Json.text(s, "updatedBy"));
    }
    if (table.isEmpty()) {
      out().println("no secrets");
    } else {
      table.print(out());
    }
    return 0;
  }
}
