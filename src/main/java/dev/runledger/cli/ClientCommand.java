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
 * and turns any failure into one {@code error: ...} line on standard error and exit code 1.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class)
abstract class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  final ClientEnvironment env;

  ClientCommand(ClientEnvironment env) {
    this.env = env;
  }

  /** The project every request is scoped to; {@code null} for the server's default. */
  String project() {
    return null;
  }

  /** Does the work; returns the exit code. */
  abstract int run(RunledgerClient client) throws Exception;

  @Override
  public final Integer call() {
    try {
      ClientConfig config = ClientConfig.resolve(env, connection.url, connection.token, project());
      return run(new RunledgerClient(config));
    } catch (CliException e) {
      err().println("error: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err().println("error: interrupted");
      return 130;
    } catch (Exception e) {
      err().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (env.get("RUNLEDGER_DEBUG") != null) {
        e.printStackTrace(err());
      }
      return 1;
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

  /**
   * Prints the id of a run the server started and, with {@code watch}, follows it to its end.
   *
   * @param what what the request was (rerun, fire), for when no id came back
   * @return 0, or with {@code watch} the watcher's exit code
   */
  int startedRun(RunledgerClient client, JsonNode run, String what, boolean watch)
      throws InterruptedException {
    String id = Json.text(run, "id");
    if (id == null) {
      throw new CliException("the server accepted the " + what + " but sent no run id");
    }
    out().println(id);
    out().flush();
    return watch ? new RunWatcher(client, env, out(), err()).watch(id) : 0;
  }
}
