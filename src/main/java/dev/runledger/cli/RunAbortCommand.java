package dev.runledger.cli;

import picocli.CommandLine.Command;

/** {@code runledger runs abort RUN_ID}: like cancel, and in-flight attempts are terminated. */
@Command(
    name = "abort",
    description = "Abort a run: like cancel, but in-flight attempts are terminated.")
final class RunAbortCommand extends RunCancelCommand {
  RunAbortCommand(ClientEnvironment env) {
    super(env, "abort");
  }
}
