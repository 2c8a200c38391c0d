package dev.runledger.cli;

import picocli.CommandLine.Option;

/** The options every client command takes to reach a server. */
final class ConnectionOptions {
  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "Server URL (default: $RUNLEDGER_URL, else the context's, else "
              + ClientConfig.DEFAULT_URL
              + ").")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "API token sent as a Bearer token (default: $RUNLEDGER_TOKEN, else the context's"
              + " tokenFile).")
  String token;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description =
          "Context of the config file to use (default: $RUNLEDGER_CONTEXT, else its"
              + " current-context).")
  String context;

  @Option(names = "--config", paramLabel = "FILE", description = CONFIG_DESCRIPTION)
  String config;

  /** Where the config file is looked for, for every command that takes {@code --config}. */
  static final String CONFIG_DESCRIPTION =
      "Config file (default: $RUNLEDGER_CONFIG, else"
          + " $XDG_CONFIG_HOME/runledger/config.yaml, else ~/.config/runledger/config.yaml).";
}
