package dev.runledger.executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Durations;
import dev.runledger.model.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code command} actions as local processes: an argv or a bash script, never a shell line.
 */
public final class CommandExecutor implements ActionExecutor {
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  /** See {@link SessionFile}: read by {@link #terminateOrphans}. */
  static final String SESSION_FILE = SessionFile.NAME;

  private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration killGrace;
  private final CommandPreparer preparer;
  private final ProcessLauncher launcher;
  private final ProcessTreeTerminator terminator;
  private final OutputFileParser outputParser = new OutputFileParser(JSON);
  private final ExecutableProbe probe = new ExecutableProbe();

  /** With a 5 s kill grace and PATH, HOME and LANG taken from the server's environment. */
  public CommandExecutor() {
    this(DEFAULT_KILL_GRACE);
  }

  public CommandExecutor(Duration killGrace) {
    this(killGrace, defaultBaseEnvironment());
  }

  /**
   * @param killGrace how long a terminated process tree gets between TERM and KILL
   * @param baseEnvironment the only variables of the server passed on (PATH, HOME, LANG); the
   *     server's own environment is never inherited
   */
  public CommandExecutor(Duration killGrace, Map<String, String> baseEnvironment) {
    this(killGrace, baseEnvironment, CommandIsolation.none());
  }

  /**
   * @param isolation how commands are kept away from the server: a sandbox, another user, or none
   */
  public CommandExecutor(
      Duration killGrace, Map<String, String> baseEnvironment, CommandIsolation isolation) {
    this.killGrace = killGrace;
    CommandEnvironment environment = new CommandEnvironment(baseEnvironment);
    this.preparer = new CommandPreparer(environment);
    String path = environment.basePath();
    Path setsid = ProgramResolver.findOnPath("setsid", path);
    Path kill = ProgramResolver.findOnPath("kill", path);
    if (setsid == null || kill == null) {
      LOG.warn(
          "setsid or kill not found on PATH: commands run without their own process group, so"
              + " abort and timeout reach only the processes still attached to the command");
    }
    this.launcher = new ProcessLauncher(setsid, isolation);
    this.terminator =
        new ProcessTreeTerminator(
            killGrace, setsid == null ? null : kill, isolation.ownsProcessTree());
  }

  /** PATH, HOME and LANG of this server (the only variables commands inherit). */
  public static Map<String, String> defaultBaseEnvironment() {
    return CommandEnvironment.serverDefaults();
  }

  @Override
  public String kind() {
    return "command";
  }

  @Override
  public AttemptResult execute(AttemptContext context) throws InterruptedException {
    Templates templates = context.templates();
    PreparedCommand prepared;
    try {
      prepared = preparer.prepare(context);
    } catch (AttemptFailedException e) {
      return masked(e.failure(), templates, null);
    } catch (TemplateException e) {
      return masked(
          Failure.deterministic(
              e.getMessage(), "fix the expression in the action's command section"),
          templates,
          null);
    }
    recordEvidence(context, prepared);
    if (context.abortSignal().isAborted()) {
      return masked(Failure.deterministic(context.abortSignal().reason(), null), templates, null);
    }
    return run(context, prepared);
  }

  private void recordEvidence(AttemptContext context, PreparedCommand prepared) {
    ArrayNode command = JSON.createArrayNode();
    prepared.shown().forEach(command::add);
    context.evidence("command", command);
    // A program from the working directory is the command's own: never run outside the isolation.
    context.evidence(
        "executable",
        probe.describe(prepared.program(), !prepared.program().startsWith(context.workDir())));
  }

  private AttemptResult run(AttemptContext context, PreparedCommand prepared)
      throws InterruptedException {
    Templates templates = context.templates();
    AttemptLog log = context.log();
    Path outputFile = context.workDir().resolve(CommandEnvironment.OUTPUT_FILE);
    Process process;
    try {
      Files.deleteIfExists(outputFile);
      process = launcher.start(prepared, context.workDir());
    } catch (IOException e) {
      return masked(
          Failure.deterministic(
              "could not start " + prepared.argv().get(0) + ": " + e.getMessage(),
              "check that the program is executable on the worker"),
          templates,
          null);
    }
    CommandOutputStreams output = CommandOutputStreams.start(process, templates, log);

    CompletableFuture<String> aborted = new CompletableFuture<>();
    context.abortSignal().onAbort(() -> aborted.complete(context.abortSignal().reason()));
    boolean timedOut = false;
    try {
      CompletableFuture<Object> ended = CompletableFuture.anyOf(process.onExit(), aborted);
      Duration timeout = context.timeout();
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        ended.get();
      } else {
        ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      timedOut = true;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for the process failed", e);
    } catch (InterruptedException e) {
      terminator.terminate(process);
      throw e;
    }

    if (process.isAlive()) {
      terminator.terminate(process);
      output.join(killGrace);
      if (timedOut) {
        return masked(
            Failure.transientFailure(
                "timed out after " + Durations.format(context.timeout()), "raise the timeout"),
            templates,
            null);
      }
      return masked(Failure.deterministic(aborted.getNow("aborted"), null), templates, null);
    }

    if (launcher.ownSession()) {
      // Background children the command left behind end with it.
      terminator.terminateLeftovers(process.pid());
    }
    output.join(killGrace);
    int exitCode = process.exitValue();
    if (exitCode == 0) {
      try {
        ObjectNode outputs = outputParser.parse(outputFile);
        List<ProducedFile> files =
            OutputFiles.collect(
                context.workDir(),
                prepared.outputPatterns(),
                context.maxFileBytes(),
                log,
                templates);
        return new AttemptResult.Succeeded(outputs, false, 0, null, files);
      } catch (AttemptFailedException e) {
        return masked(e.failure(), templates, 0);
      }
    }
    return masked(exitFailure(exitCode, output.lastStderr(), prepared), templates, exitCode);
  }

  /** A non-zero exit: transient when the action lists the code in retryableExitCodes. */
  private static Failure exitFailure(int exitCode, String lastStderr, PreparedCommand prepared) {
    String cause = "exit code " + exitCode + signalNote(exitCode);
    if (lastStderr != null) {
      cause += ": " + lastStderr.strip();
    }
    return prepared.retryable().contains(exitCode)
        ? Failure.transientFailure(
            cause,
            "exit code " + exitCode + " is listed in retryableExitCodes; a new attempt may succeed")
        : Failure.deterministic(
            cause,
            "see the attempt's stderr; list the exit code in retryableExitCodes if a new"
                + " attempt could succeed");
  }

  /**
   * Terminates the commands a previous run of this node left behind under {@code workRoot}: when
   * the server is killed ({@code kill -9}, OOM killer, power cut of the JVM only) its commands keep
   * running in their own sessions, and would otherwise run on next to the retried attempts. Call at
   * start, before any attempt runs, and only when no other live server uses {@code workRoot}.
   *
   * @return how many processes were terminated
   */
  public int terminateOrphans(Path workRoot) {
    List<ProcessHandle> orphans = SessionFile.orphansUnder(workRoot);
    if (!orphans.isEmpty()) {
      LOG.warn(
          "terminating {} processes that commands of a previous run of this node left running",
          orphans.size());
      terminator.terminateAll(orphans);
    }
    return orphans.size();
  }

  private static String signalNote(int exitCode) {
    return exitCode > 128 && exitCode < 160 ? " (killed by signal " + (exitCode - 128) + ")" : "";
  }

  private static AttemptResult.Failed masked(
      Failure failure, Templates templates, Integer exitCode) {
    Failure safe =
        new Failure(
            failure.kind(),
            failure.cause() == null ? null : templates.mask(failure.cause()),
            failure.hint() == null ? null : templates.mask(failure.hint()));
    return new AttemptResult.Failed(safe, exitCode, null, null);
  }
}
