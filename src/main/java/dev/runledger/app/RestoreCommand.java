package dev.runledger.app;

import dev.runledger.cli.Cli;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code runledger restore --from FILE --data-dir DIR}: a backup into a new data directory. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    name = "restore",
    description = {
      "Restore a backup made by `runledger backup` into a new, empty data directory.",
      "Then start a server on it: runledger serve --data-dir DIR"
    })
final class RestoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup.")
  Path from;

  @Option(
      names = "--data-dir",
      required = true,
      paramLabel = "DIR",
      description = "The data directory to restore into (empty or not existing).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    BackupArchive.Summary s;
    try {
      s = BackupArchive.restore(from, dataDir);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .println(
            "restored "
                + from
                + " into "
                + dataDir
                + " ("
                + s.blobs()
                + " artifact contents); start it with: runledger serve --data-dir "
                + dataDir);
    return 0;
  }
}
