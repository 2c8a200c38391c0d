package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a server: resolves the connection options against the environment, runs,
 * and turns any failure into one {@code error: ...} line on standard error and its exit code (see
 * {@link ExitCodes}).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class)
abstract class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  final ClientEnvironment env;

  ClientCommand(ClientEnvironment env) {
    this.env = env;
  }

  /** {@code --project}; {@code null} when not given or the command is not scoped to a project. */
  String project() {
    return null;
  }

  /**
   * Whether the command works within one project, so that {@code RUNLEDGER_PROJECT} and the
   * context's project apply to it.
   */
  boolean scoped() {
    return false;
  }

  /** Does the work; returns the exit code. */
  abstract int run(RunledgerClient client) throws Exception;

  @Override
  public final Integer call() {
    try {
      ClientConfig config = ClientConfig.resolve(env, connection, project(), scoped());
      return run(new RunledgerClient(config));
    } catch (CliException e) {
      err().println("error: " + e.getMessage());
      return e.exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err().println("error: interrupted");
      return ExitCodes.INTERRUPTED;
    } catch (Exception e) {
      err().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (env.get("RUNLEDGER_DEBUG") != null) {
        e.printStackTrace(err());
      }
      return ExitCodes.FAILED;
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

  /** Colour for status words: on a terminal, unless NO_COLOR. */
  TerminalColours colours() {
    return TerminalColours.of(env);
  }

  /**
   * Prints a run the server started (its id, or with {@code -o json|yaml} the run) and, with {@code
   * watch}, follows it to its end. Watching with {@code -o json|yaml} shows the progress on
   * standard error and prints the run as it ended.
   *
   * @param what what the request was (rerun, fire), for when no id came back
   * @return 0, or with {@code watch} the watcher's exit code
   */
  int startedRun(
      RunledgerClient client, JsonNode run, String what, boolean watch, OutputOptions output)
      throws InterruptedException {
    String id = Json.text(run, "id");
    if (id == null) {
      throw new CliException("the server accepted the " + what + " but sent no run id");
    }
    if (!output.structured()) {
      out().println(id);
      out().flush();
      return watch ? new RunWatcher(client, env, out(), err()).watch(id) : ExitCodes.OK;
    }
    if (!watch) {
      output.print(out(), run);
      return ExitCodes.OK;
    }
    int code = new RunWatcher(client, env, err(), err()).watch(id);
    output.print(out(), client.getJson("/api/runs/" + Query.segment(id), null));
    return code;
  }
}
