package dev.runledger.app;

import dev.runledger.cli.Cli;
import picocli.CommandLine;

/** The one binary: {@code serve} and {@code bench} here, the client commands from the CLI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CommandLine cli = Cli.commandLine();
    cli.addSubcommand("serve", new ServeCommand());
    System.exit(cli.execute(args));
  }
}
