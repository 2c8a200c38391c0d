package dev.runledger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runledger context set NAME --url U ...}: adds a context or changes some of its fields. */
@Command(
    name = "set",
    description = {
      "Add a context to the config file, or change the fields given of an existing one.",
      "The token stays in its own file: tokenFile names it (relative to the config file)."
    })
final class ContextSetCommand extends ContextFileCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--url", paramLabel = "URL", description = "The server's URL.")
  String url;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "A file holding the API token, one line.")
  String tokenFile;

  @Option(names = "--project", paramLabel = "PROJECT", description = "The project to work in.")
  String project;

  @Option(names = "--use", description = "Also make it the current context.")
  boolean use;

  ContextSetCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(ContextFile file) {
    if (url != null) {
      ClientConfig.parseUrl(url);
    }
    file.put(name, url, tokenFile, project);
    if (use) {
      file.use(name);
    }
    file.write();
    out().println("context " + name + " saved in " + file.path() + (use ? " (current)" : ""));
    return ExitCodes.OK;
  }
}
