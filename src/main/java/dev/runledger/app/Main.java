package dev.runledger.app;

import dev.runledger.cli.Cli;
import dev.runledger.cli.CliException;
import dev.runledger.cli.ExitCodes;
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
    cli.addSubcommand("backup", new BackupCommand());
    cli.addSubcommand("restore", new RestoreCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          if (System.getenv("RUNLEDGER_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          }
          return e instanceof CliException failure ? failure.exitCode() : ExitCodes.FAILED;
        });
    return cli;
  }
}
