package dev.runledger.app;

import dev.runledger.cli.Cli;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code runledger backup --to FILE}: a consistent backup of an embedded store, server running. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    name = "backup",
    description = {
      "Back up the embedded store (database, secret key, artifact contents) to one file.",
      "Safe while the server runs. For PostgreSQL use pg_dump (see the README)."
    })
final class BackupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "FILE", description = "The backup file.")
  Path to;

  @Option(names = "--data-dir", description = "Where the embedded store lives. Default: data.")
  Path dataDir = Path.of("data");

  @Option(
      names = "--db",
      paramLabel = "URL",
      description = "Refused: a PostgreSQL store is backed up with pg_dump.")
  String db;

  @Override
  public Integer call() throws Exception {
    if (db != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--db: a PostgreSQL store (artifacts included) is backed up with pg_dump, e.g."
              + " pg_dump --format=custom --file=runledger.dump DBNAME, and restored with"
              + " pg_restore; see the README");
    }
    BackupArchive.Summary s;
    try {
      s = BackupArchive.write(dataDir, to);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .println(
            "backed up the store of "
                + dataDir
                + " to "
                + to
                + " ("
                + s.blobs()
                + " artifact contents, "
                + s.bytes()
                + " bytes); it holds the secret key: keep it as safe as the data directory");
    return 0;
  }
}
