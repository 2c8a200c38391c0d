package dev.runledger.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code runledger completion bash}: the shell completion script for the whole command tree. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description = {
      "Print a shell completion script for every command and option.",
      "bash: source <(runledger completion bash)",
      "zsh:  autoload -U +X bashcompinit && bashcompinit && source <(runledger completion zsh)"
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SHELL",
      defaultValue = "bash",
      description = "bash (the default) or zsh.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      spec.commandLine().getErr().println("error: SHELL must be bash or zsh, not '" + shell + "'");
      return ExitCodes.USAGE;
    }
    // the root as the process built it, with the server commands the application adds
    spec.commandLine()
        .getOut()
        .print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
