package dev.runledger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runledger secrets delete NAME}. */
@Command(name = "delete", description = "Delete a secret.")
final class SecretDeleteCommand extends ScopedCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Secret name.")
  String name;

  SecretDeleteCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    client.delete("/api/secrets/" + name, null);
    out().println("deleted secret " + name);
    return 0;
  }
}
