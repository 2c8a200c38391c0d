package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runledger definitions}: the actions and workflows of a project, latest revisions. */
@Command(
    name = "definitions",
    description = "List actions and workflows: name, latest revision, definition hash.")
final class DefinitionsCommand extends ScopedCommand {
  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description = "Only actions or only workflows: action | workflow.")
  String kind;

  @picocli.CommandLine.Mixin OutputOptions output = new OutputOptions();

  DefinitionsCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    if (kind != null && !kind.equals("action") && !kind.equals("workflow")) {
      throw new UsageException("--kind must be action or workflow, not " + kind);
    }
    ArrayNode all = Json.MAPPER.createArrayNode();
    for (String k : new String[] {"action", "workflow"}) {
      if (kind == null || kind.equals(k)) {
        String cursor = null;
        do {
          JsonNode page =
              client.getJson("/api/" + k + "s", Query.of().add("limit", 200).add("cursor", cursor));
          page.path("items").forEach(all::add);
          cursor = Json.text(page, "nextCursor");
        } while (cursor != null);
      }
    }
    if (output.structured()) {
      output.print(out(), all);
      return 0;
    }
    Table table = new Table("KIND", "NAME", "REV", "HASH", "DESCRIPTION");
    for (JsonNode d : all) {
      String hash = Json.text(d, "definitionHash");
      table.row(
          Json.text(d, "kind"),
          Json.text(d, "name") + (d.path("archivedAt").isTextual() ? " (archived)" : ""),
          d.path("revision").asText(),
          hash == null ? "" : hash.substring(0, Math.min(hash.length(), 19)),
          Json.text(d.path("definition"), "description"));
    }
    if (table.isEmpty()) {
      out().println("no definitions");
    } else {
      table.print(out());
    }
    return 0;
  }
}
