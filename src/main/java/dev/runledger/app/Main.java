package dev.runledger.app;

import dev.runledger.cli.Cli;
import picocli.CommandLine;

/** The one binary: {@code serve} and {@code bench} here, the client commands from the CLI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The root command with every subcommand; a failure prints one line, never a stack trace. */
  static CommandLine commandLine() {
    CommandLine cli = Cli.commandLine();
    cli.addSubcommand("serve", new ServeCommand());
    cli.addSubcommand("bench", new BenchCommand());
    cli.addSubcommand("db", new DbCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          if (System.getenv("RUNLEDGER_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    return cli;
  }
}
