package dev.runledger.cli;

import picocli.CommandLine.Option;

/** The options every client command takes to reach a server. */
final class ConnectionOptions {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "Server URL (default: $RUNLEDGER_URL, else " + ClientConfig.DEFAULT_URL + ").")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "API token sent as a Bearer token (default: $RUNLEDGER_TOKEN).")
  String token;
}
