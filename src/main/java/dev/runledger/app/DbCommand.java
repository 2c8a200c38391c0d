package dev.runledger.app;

import dev.runledger.cli.Cli;
import dev.runledger.store.Database;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code runledger db migrate}: applies the store's pending migrations once, for a deployment. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    name = "db",
    description = "Manage the store.",
    subcommands = {DbCommand.Migrate.class})
final class DbCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  @Command(
      mixinStandardHelpOptions = true,
      versionProvider = Cli.VersionProvider.class,
      name = "migrate",
      description = {
        "Apply the store's pending migrations and exit.",
        "For deployments whose nodes start with `serve --no-migrate`."
      })
  static final class Migrate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data-dir", description = "Where the embedded store lives. Default: data.")
    Path dataDir = Path.of("data");

    @Option(names = "--db", description = "postgresql://user:pass@host:5432/db (default: SQLite).")
    String db;

    @Override
    public Integer call() {
      int applied = Database.migrateOnly(db, dataDir);
      spec.commandLine()
          .getOut()
          .println(
              applied == 0
                  ? "the store is up to date"
                  : "applied " + applied + (applied == 1 ? " migration" : " migrations"));
      return 0;
    }
  }
}
