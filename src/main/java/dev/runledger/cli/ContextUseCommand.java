package dev.runledger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runledger context use NAME}: makes a context the current one. */
@Command(
    name = "use",
    description = "Make a context the current one: client commands use it unless told otherwise.")
final class ContextUseCommand extends ContextFileCommand {
  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  ContextUseCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(ContextFile file) {
    file.use(name);
    file.write();
    out().println("current context: " + name + " (" + file.path() + ")");
    return ExitCodes.OK;
  }
}
