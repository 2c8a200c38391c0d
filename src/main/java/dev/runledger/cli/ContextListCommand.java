package dev.runledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runledger context list}: the config file's contexts, the current one marked. */
@Command(
    name = "list",
    description = "List the contexts of the config file; * marks the current one.")
final class ContextListCommand extends ContextFileCommand {
  @Mixin OutputOptions output = new OutputOptions();

  ContextListCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(ContextFile file) {
    String current = file.current().orElse(null);
    if (output.structured()) {
      ObjectNode document = Json.MAPPER.createObjectNode();
      document.put("file", file.path() == null ? null : file.path().toString());
      document.put("currentContext", current);
      ArrayNode items = document.putArray("contexts");
      for (ContextFile.Context c : file.contexts()) {
        items
            .addObject()
            .put("name", c.name())
            .put("url", c.url())
            .put("tokenFile", c.tokenFile())
            .put("project", c.project());
      }
      output.print(out(), document);
      return ExitCodes.OK;
    }
    Table table = new Table("CURRENT", "NAME", "URL", "PROJECT", "TOKEN FILE");
    for (ContextFile.Context c : file.contexts()) {
      table.row(c.name().equals(current) ? "*" : "", c.name(), c.url(), c.project(), c.tokenFile());
    }
    if (table.isEmpty()) {
      out().println("no contexts in " + (file.path() == null ? "the config file" : file.path()));
    } else {
      table.print(out());
    }
    return ExitCodes.OK;
  }
}
