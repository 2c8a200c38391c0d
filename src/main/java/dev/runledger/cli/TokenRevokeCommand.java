package dev.runledger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runledger token revoke ID}: deletes an API token. */
@Command(
    name = "revoke",
    description = "Revoke an API token: requests with it get 401 from now on.")
final class TokenRevokeCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "The token id (tok_...).")
  String id;

  TokenRevokeCommand(ClientEnvironment env) {
    super(env);
  }

  @Override
  int run(RunledgerClient client) {
    client.delete("/api/tokens/" + Query.segment(id), null);
    out().println("revoked " + id);
    return 0;
  }
}
