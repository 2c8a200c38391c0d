package dev.runledger.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A {@code runledger context} command: works on the config file, never talks to a server. */
@Command(mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class)
abstract class ContextFileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = ConnectionOptions.CONFIG_DESCRIPTION)
  String config;

  final ClientEnvironment env;

  ContextFileCommand(ClientEnvironment env) {
    this.env = env;
  }

  /** Does the work on the file; returns the exit code. */
  abstract int run(ContextFile file);

  @Override
  public final Integer call() {
    try {
      return run(ContextFile.load(env, config));
    } catch (CliException e) {
      err().println("error: " + e.getMessage());
      return e.exitCode();
    } finally {
      out().flush();
      err().flush();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
