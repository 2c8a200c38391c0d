package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Durations;
import dev.runledger.model.Failure;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code command} actions as local processes: an argv or a bash script, never a shell line.
 */
public final class CommandExecutor implements ActionExecutor {
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  static final String OUTPUT_FILE = ".runledger-output";
  static final String SCRIPT_FILE = ".runledger-script.sh";

  /**
   * Written into the attempt's working directory while its command runs: the session id (the pid of
   * the session leader) and the leader's start time, so that a node killed with {@code kill -9} can
   * terminate at its next start what its commands left running ({@link #terminateOrphans}).
   */
  static final String SESSION_FILE = ".runledger-session";

  private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROGRESS = Pattern.compile("::progress\\s+(\\d{1,3})(?:\\s+(.*))?");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> SPEC_KEYS =
      Set.of("run", "script", "env", "retryableExitCodes", "inputs", "outputs");

  private final Duration killGrace;
  private final Map<String, String> baseEnvironment;
  private final Path setsid;
  private final ProcessTreeTerminator terminator;
  private final CommandIsolation isolation;
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
    this.isolation = isolation;
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    String path = this.baseEnvironment.getOrDefault("PATH", "/usr/bin:/bin");
    this.setsid = findOnPath("setsid", path);
    Path kill = findOnPath("kill", path);
    if (setsid == null || kill == null) {
      LOG.warn(
          "setsid or kill not found on PATH: commands run without their own process group, so"
              + " abort and timeout reach only the processes still attached to the command");
    }
    this.terminator =
        new ProcessTreeTerminator(
            killGrace, setsid == null ? null : kill, isolation.ownsProcessTree());
  }

  /** PATH, HOME and LANG of this server (the only variables commands inherit). */
  public static Map<String, String> defaultBaseEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", orElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", orElse(System.getenv("HOME"), System.getProperty("user.home")));
    env.put("LANG", orElse(System.getenv("LANG"), "C.UTF-8"));
    return env;
  }

  @Override
  public String kind() {
    return "command";
  }

  @Override
  public AttemptResult execute(AttemptContext context) throws InterruptedException {
    Templates templates = context.templates();
    Prepared prepared;
    try {
      prepared = prepare(context);
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

  /**
   * @param program the resolved executable
   * @param argv the program (resolved) and its arguments
   * @param shown the argv as recorded in the evidence: rendered, secrets masked
   */
  private record Prepared(
      List<String> argv,
      Map<String, String> environment,
      Set<Integer> retryable,
      List<String> outputPatterns,
      Path program,
      List<String> shown) {}

  private void recordEvidence(AttemptContext context, Prepared prepared) {
    ArrayNode command = JSON.createArrayNode();
    prepared.shown().forEach(command::add);
    context.evidence("command", command);
    // A program from the working directory is the command's own: never run outside the isolation.
    context.evidence(
        "executable",
        probe.describe(prepared.program(), !prepared.program().startsWith(context.workDir())));
  }

  private Prepared prepare(AttemptContext context) throws AttemptFailedException {
    JsonNode spec = context.spec();
    Templates templates = context.templates();
    if (spec == null || !spec.isObject()) {
      throw AttemptFailedException.deterministic(
          "the command section is not an object", "write command: {run: [...]} or {script: ...}");
    }
    for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!SPEC_KEYS.contains(name)) {
        throw AttemptFailedException.deterministic(
            "unknown key in command: " + name, "use run or script, env, retryableExitCodes");
      }
    }
    boolean hasRun = spec.hasNonNull("run");
    boolean hasScript = spec.hasNonNull("script");
    if (hasRun == hasScript) {
      throw AttemptFailedException.deterministic(
          "command needs exactly one of run (an argv list) or script",
          "write run: [program, arg, ...] or script: |");
    }

    List<String> outputPatterns = OutputFiles.patterns(spec, templates);
    Map<String, String> environment = environment(context);
    String path = environment.getOrDefault("PATH", "");
    boolean ownPath = !path.equals(baseEnvironment.getOrDefault("PATH", ""));
    List<String> argv = new ArrayList<>();
    Path program;
    List<String> shown = new ArrayList<>();
    if (hasRun) {
      JsonNode run = spec.get("run");
      if (!run.isArray() || run.isEmpty()) {
        throw AttemptFailedException.deterministic(
            "command.run must be a non-empty list: the program and its arguments",
            "write run: [program, arg, ...]; each element is exactly one argument");
      }
      List<String> args = new ArrayList<>();
      for (JsonNode element : run) {
        String arg = templates.renderText(element, Map.of());
        if (arg.indexOf('\0') >= 0) {
          throw AttemptFailedException.deterministic(
              "argument " + args.size() + " of command.run contains a NUL character",
              "check the parameters that fill it");
        }
        args.add(arg);
      }
      program = resolveProgram(args.get(0), path, ownPath, context.workDir());
      argv.add(program.toString());
      argv.addAll(args.subList(1, args.size()));
      shown.add(program.toString());
      args.subList(1, args.size()).forEach(a -> shown.add(templates.mask(a)));
    } else {
      JsonNode script = spec.get("script");
      if (!script.isTextual()) {
        throw AttemptFailedException.deterministic(
            "command.script must be a string", "write script: | followed by bash lines");
      }
      if (script.asText().contains("${{")) {
        throw AttemptFailedException.deterministic(
            "command.script contains a ${{ }} expression; scripts are not templated",
            "pass parameters through env (env: {NAME: \"${{ inputs.x }}\"}) and use \"$NAME\"");
      }
      Path file = context.workDir().resolve(SCRIPT_FILE);
      try {
        Files.writeString(file, script.asText(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw AttemptFailedException.transientFailure(
            "could not write the script into the working directory: " + e.getMessage(),
            "check the free space and permissions of the data directory");
      }
      program = resolveProgram("bash", path, ownPath, context.workDir());
      argv.add(program.toString());
      argv.add("-eu");
      argv.add(file.toString());
      shown.add(program.toString());
      shown.add("-eu");
      shown.add(SCRIPT_FILE);
    }
    return new Prepared(
        argv, environment, retryableExitCodes(spec), outputPatterns, program, shown);
  }

  private Map<String, String> environment(AttemptContext context) throws AttemptFailedException {
    Map<String, String> env = new LinkedHashMap<>(baseEnvironment);
    env.put("TMPDIR", context.workDir().toString());
    JsonNode declared = context.spec().get("env");
    if (declared != null && !declared.isNull()) {
      if (!declared.isObject()) {
        throw AttemptFailedException.deterministic(
            "command.env must be a map of names to values", "write env: {NAME: value}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String value = context.templates().renderText(entry.getValue(), Map.of());
        putChecked(env, entry.getKey(), value);
      }
    }
    for (Map.Entry<String, String> entry : context.environment().entrySet()) {
      putChecked(env, entry.getKey(), entry.getValue());
    }
    env.put("RUNLEDGER_RUN_ID", context.runId());
    env.put("RUNLEDGER_TASK", context.taskName());
    env.put("RUNLEDGER_ATTEMPT", Integer.toString(context.attempt()));
    env.put("RUNLEDGER_IDEMPOTENCY_KEY", context.idempotencyKey());
    env.put("RUNLEDGER_OUTPUT", context.workDir().resolve(OUTPUT_FILE).toString());
    return env;
  }

  private static void putChecked(Map<String, String> env, String name, String value)
      throws AttemptFailedException {
    if (!ENV_NAME.matcher(name).matches()) {
      throw AttemptFailedException.deterministic(
          "'" + name + "' is not a valid environment variable name",
          "use letters, digits and _, not starting with a digit");
    }
    if (value.indexOf('\0') >= 0) {
      throw AttemptFailedException.deterministic(
          "environment variable " + name + " contains a NUL character",
          "check the parameters that fill it");
    }
    env.put(name, value);
  }

  private static Set<Integer> retryableExitCodes(JsonNode spec) throws AttemptFailedException {
    Set<Integer> codes = new HashSet<>();
    JsonNode node = spec.get("retryableExitCodes");
    if (node == null || node.isNull()) {
      return codes;
    }
    if (!node.isArray()) {
      throw AttemptFailedException.deterministic(
          "command.retryableExitCodes must be a list of exit codes", "write [75, 111]");
    }
    for (JsonNode code : node) {
      if (!code.canConvertToInt() || !code.isIntegralNumber()) {
        throw AttemptFailedException.deterministic(
            "command.retryableExitCodes holds " + code + ", not an exit code", "write [75, 111]");
      }
      codes.add(code.intValue());
    }
    return codes;
  }

  /** The program as an absolute path, found the way the child's PATH would find it. */
  private static Path resolveProgram(String program, String path, boolean ownPath, Path workDir)
      throws AttemptFailedException {
    if (program.isEmpty()) {
      throw AttemptFailedException.deterministic(
          "command.run starts with an empty program name", "put the program first in run");
    }
    if (program.contains("/")) {
      Path candidate = workDir.resolve(program).normalize();
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
      throw AttemptFailedException.deterministic(
          "command not found: " + program,
          Files.exists(candidate)
              ? "the file is not executable: chmod +x it, or run it through its interpreter"
              : "the path is relative to the attempt's working directory; check it exists there");
    }
    Path found = findOnPath(program, path);
    if (found == null) {
      throw AttemptFailedException.deterministic(
          "command not found: " + program,
          // the server's PATH is not shown: it describes the server's environment, not the action
          "install "
              + program
              + " on the worker or give its absolute path in run; "
              + (ownPath
                  ? "it was looked up on the action's env.PATH"
                  : "it was looked up on the worker's PATH (set env.PATH in the action to look"
                      + " elsewhere)"));
    }
    return found;
  }

  private static Path findOnPath(String program, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }

  private AttemptResult run(AttemptContext context, Prepared prepared) throws InterruptedException {
    Templates templates = context.templates();
    AttemptLog log = context.log();
    Path outputFile = context.workDir().resolve(OUTPUT_FILE);
    List<String> command = new ArrayList<>();
    if (setsid != null) {
      // Its own session, so the process group can be signalled as a whole on abort or timeout.
      command.add(setsid.toString());
      command.add("--");
    }
    command.addAll(isolation.launch(prepared.argv(), context.workDir()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(context.workDir().toFile());
    builder.environment().clear();
    builder.environment().putAll(prepared.environment());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));

    Process process;
    try {
      Files.deleteIfExists(outputFile);
      isolation.prepare(context.workDir(), builder.environment());
      process = builder.start();
    } catch (IOException e) {
      return masked(
          Failure.deterministic(
              "could not start " + prepared.argv().get(0) + ": " + e.getMessage(),
              "check that the program is executable on the worker"),
          templates,
          null);
    }
    if (setsid != null) {
      recordSession(context.workDir(), process);
    }

    AtomicReference<String> lastStderr = new AtomicReference<>();
    Thread stdout =
        readerThread(
            "stdout-" + process.pid(),
            new StreamLineReader(
                process.getInputStream(), templates, line -> forward(line, log, false)));
    Thread stderr =
        readerThread(
            "stderr-" + process.pid(),
            new StreamLineReader(
                process.getErrorStream(),
                templates,
                line -> {
                  if (!line.isBlank()) {
                    lastStderr.set(line);
                  }
                  forward(line, log, true);
                }));

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
      join(stdout, stderr);
      if (timedOut) {
        return masked(
            Failure.transientFailure(
                "timed out after " + Durations.format(context.timeout()), "raise the timeout"),
            templates,
            null);
      }
      return masked(Failure.deterministic(aborted.getNow("aborted"), null), templates, null);
    }

    if (setsid != null) {
      // Background children the command left behind end with it.
      terminator.terminateLeftovers(process.pid());
    }
    join(stdout, stderr);
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
    String cause = "exit code " + exitCode + signalNote(exitCode);
    if (lastStderr.get() != null) {
      cause += ": " + lastStderr.get().strip();
    }
    Failure failure =
        prepared.retryable().contains(exitCode)
            ? Failure.transientFailure(
                cause,
                "exit code "
                    + exitCode
                    + " is listed in retryableExitCodes; a new attempt may succeed")
            : Failure.deterministic(
                cause,
                "see the attempt's stderr; list the exit code in retryableExitCodes if a new"
                    + " attempt could succeed");
    return masked(failure, templates, exitCode);
  }

  private static void recordSession(Path workDir, Process process) {
    long start = process.toHandle().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    try {
      // Not through a symlink the command may have put there: the server may see more than it.
      Files.writeString(
          workDir.resolve(SESSION_FILE),
          process.pid() + " " + start + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      LOG.warn("could not record the session of {}: {}", process.pid(), e.getMessage());
    }
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
    if (!Files.isDirectory(workRoot)) {
      return 0;
    }
    List<ProcessHandle> orphans = new ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.walk(workRoot, 4)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!file.getFileName().toString().equals(SESSION_FILE)) {
          continue;
        }
        String[] fields = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
        long session = Long.parseLong(fields[0]);
        long startedMillis = fields.length > 1 ? Long.parseLong(fields[1]) : 0L;
        orphans.addAll(ProcessTreeTerminator.sessionMembers(session, startedMillis));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not look for commands left running under {}: {}", workRoot, e.getMessage());
    }
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

  /** Passes on a line the reader masked already. */
  private static void forward(String text, AttemptLog log, boolean isStderr) {
    if (isStderr) {
      log.stderr(text);
    } else {
      log.stdout(text);
    }
    Matcher m = PROGRESS.matcher(text);
    if (m.matches()) {
      int percent = Math.min(100, Integer.parseInt(m.group(1)));
      log.progress(percent, m.group(2) == null ? "" : m.group(2).strip());
    }
  }

  private static Thread readerThread(String name, Runnable reader) {
    Thread thread = new Thread(reader, "command-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private void join(Thread... readers) throws InterruptedException {
    // A daemonized grandchild may hold a pipe open for ever; do not wait for it beyond the grace.
    long deadline = System.nanoTime() + killGrace.toNanos() + TimeUnit.SECONDS.toNanos(1);
    for (Thread reader : readers) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left > 0) {
        reader.join(left);
      }
    }
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

  private static String orElse(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
