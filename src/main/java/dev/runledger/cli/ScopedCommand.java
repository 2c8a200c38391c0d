package dev.runledger.cli;

import picocli.CommandLine.Option;

/** A client command that works within one project ({@code --project}, default the server's). */
abstract class ScopedCommand extends ClientCommand {

  @Option(
      names = "--project",
      paramLabel = "PROJECT",
      description =
          "Project to work in (default: $RUNLEDGER_PROJECT, else the context's, else the"
              + " server's default project).")
  String project;

  ScopedCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  String project() {
    return project;
  }

  @Override
  boolean scoped() {
    return true;
  }
}
