package dev.runledger.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.definition.Definitions;
import dev.runledger.definition.SecretMasker;
import dev.runledger.engine.access.SecretSource;
import dev.runledger.engine.evidence.ArtifactException;
import dev.runledger.engine.evidence.ArtifactService;
import dev.runledger.executor.AbortSignal;
import dev.runledger.executor.ActionExecutor;
import dev.runledger.executor.AttemptContext;
import dev.runledger.executor.AttemptLog;
import dev.runledger.executor.AttemptResult;
import dev.runledger.executor.ExecutorRegistry;
import dev.runledger.executor.TemplateException;
import dev.runledger.executor.Templates;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.ClaimedAttempt;
import dev.runledger.model.Failure;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed attempt through its action's executor and turns what happened into an {@link
 * Outcome}: outputs masked and checked against the action's contract, the result reference
 * rendered, an executor's exception turned into a deterministic failure.
 */
public final class AttemptRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  private final ExecutorRegistry executors;
  private final Definitions definitions;
  private final SecretSource secrets;
  private final Clock clock;
  private final Path workRoot;
  private final ArtifactService artifacts;

  public AttemptRunner(
      ExecutorRegistry executors,
      Definitions definitions,
      SecretSource secrets,
      Clock clock,
      Path workRoot,
      ArtifactService artifacts) {
    this.executors = executors;
    this.definitions = definitions;
    this.secrets = secrets;
    this.clock = clock;
    this.workRoot = workRoot;
    this.artifacts = artifacts;
  }

  /** The pieces an attempt needs before it runs: its log buffer and masking. */
  record Prepared(BufferedAttemptLog log, SecretMasker mask, Map<String, String> secretValues) {}

  Prepared prepare(ClaimedAttempt claimed) {
    return prepare(claimed, secrets.values(claimed.run().project()));
  }

  /** As {@link #prepare(ClaimedAttempt)}, with the project's secret values already read. */
  Prepared prepare(ClaimedAttempt claimed, Map<String, String> values) {
    SecretMasker mask = new SecretMasker(values.values());
    BufferedAttemptLog log =
        new BufferedAttemptLog(
            claimed.run().id(), claimed.task().name(), claimed.attempt(), clock, mask::mask);
    return new Prepared(log, mask, values);
  }

  /** The project's secret values (for templates and masking). */
  Map<String, String> secretValues(String project) {
    return secrets.values(project);
  }

  /** Executes the attempt; never throws. */
  Outcome run(
      ClaimedAttempt claimed, ActionDefinition action, Prepared prepared, AbortSignal abort) {
    // The variables are built when a template is first rendered (most built-ins render none).
    Templates templates =
        new EngineTemplates(
            definitions, () -> variables(claimed, prepared.secretValues()), prepared.mask());
    Path workDir =
        workRoot
            .resolve(safe(claimed.run().id()))
            .resolve(safe(claimed.task().name()))
            .resolve(String.valueOf(claimed.attempt()));
    AttemptResult result;
    EvidenceCollector evidence = new EvidenceCollector(prepared.log(), prepared.mask());
    AtomicBoolean dirCreated = new AtomicBoolean();
    try {
      // The work directory is created when the executor first asks for it (builtins never do).
      ActionExecutor executor =
          executors
              .forKind(action.kind())
              .orElseThrow(
                  () -> new IllegalStateException("no executor for kind " + action.kind()));
      AttemptContext context =
          context(claimed, action, templates, workDir, dirCreated, evidence, abort);
      if ("command".equals(action.kind())) {
        evidence.inputs(
            artifacts.placeInputs(claimed, action.spec(), templates, context.workDir()));
      }
      result = executor.execute(context);
      if (result instanceof AttemptResult.Succeeded ok && !ok.files().isEmpty()) {
        // Kept before the working directory goes; recorded with the outcome.
        evidence.outputs(artifacts.keepOutputs(claimed, ok.files()));
      }
    } catch (ArtifactException e) {
      result =
          failed(
              new Failure(
                  e.failure().kind(),
                  prepared.mask().mask(e.failure().cause()),
                  e.failure().hint() == null ? null : prepared.mask().mask(e.failure().hint())));
    } catch (TemplateException e) {
      result =
          failed(
              Failure.deterministic(
                  prepared.mask().mask(e.getMessage()),
                  "fix the expression in the action definition"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result =
          failed(
              Failure.transientFailure(
                  "the worker was interrupted (shutdown)", "the attempt will be retried"));
    } catch (RuntimeException e) {
      LOG.warn("executor failed on {} attempt {}", claimed.task().name(), claimed.attempt(), e);
      result =
          failed(
              Failure.deterministic(
                  prepared.mask().mask(String.valueOf(e.getMessage())), "see the server log"));
    } finally {
      if (dirCreated.get()) {
        deleteQuietly(workDir);
      }
    }
    if (result instanceof AttemptResult.Failed f && f.failure().cause() != null) {
      prepared.log().system("attempt failed: " + f.failure().cause());
    }
    Outcome outcome = finish(result, action, templates, prepared.mask());
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "attempt {} of {} ended: {}",
          claimed.attempt(),
          claimed.task().name(),
          outcome.result().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }
    return new Outcome(outcome.result(), outcome.resultRef(), evidence.finish());
  }

  private Outcome finish(
      AttemptResult result, ActionDefinition action, Templates templates, SecretMasker mask) {
    if (!(result instanceof AttemptResult.Succeeded ok)) {
      return new Outcome(result, null);
    }
    JsonNode outputs = mask.mask(ok.outputs() == null ? Json.object() : ok.outputs());
    if (action.outputsSchema() != null) {
      List<String> violations = definitions.checkOutputs(action.outputsSchema(), outputs);
      if (!violations.isEmpty()) {
        return new Outcome(
            failed(
                Failure.deterministic(
                    "the outputs break the action's outputs contract: "
                        + String.join("; ", violations),
                    "fix the action so its outputs match outputsSchema, or change the schema")),
            null);
      }
    }
    JsonNode ref = null;
    if (action.result() != null) {
      try {
        // Masked like the outputs: the result may name a secret directly, not only through them.
        ref =
            mask.mask(
                templates.render(
                    Json.MAPPER.getNodeFactory().textNode(action.result()),
                    Map.of("outputs", Json.MAPPER.convertValue(outputs, Object.class))));
      } catch (TemplateException e) {
        return new Outcome(
            failed(Failure.deterministic(e.getMessage(), "fix the result expression")), null);
      }
    }
    return new Outcome(
        new AttemptResult.Succeeded(
            outputs, ok.replayed(), ok.exitCode(), ok.httpStatus(), ok.files()),
        ref);
  }

  private static AttemptResult.Failed failed(Failure failure) {
    return new AttemptResult.Failed(failure, null, null, null);
  }

  private Map<String, Object> variables(ClaimedAttempt claimed, Map<String, String> secretValues) {
    Run run = claimed.run();
    Task task = claimed.task();
    Map<String, Object> vars = new HashMap<>();
    vars.put("inputs", Json.MAPPER.convertValue(task.parameters(), Object.class));
    ObjectNode runVars = Json.object();
    runVars.put("id", run.id());
    runVars.put("project", run.project());
    runVars.put("workflow", run.workflow());
    runVars.put("action", run.action());
    runVars.put("triggeredBy", run.triggeredBy());
    runVars.set("labels", run.labels());
    runVars.set("parameters", run.parameters());
    vars.put("run", Json.MAPPER.convertValue(runVars, Object.class));
    vars.put("trigger", Json.MAPPER.convertValue(run.trigger(), Object.class));
    vars.put("secrets", new HashMap<>(secretValues));
    vars.put("now", clock.instant());
    return vars;
  }

  private AttemptContext context(
      ClaimedAttempt claimed,
      ActionDefinition action,
      Templates templates,
      Path workDir,
      AtomicBoolean dirCreated,
      EvidenceCollector log,
      AbortSignal abort) {
    Duration timeout = action.timeout() == null ? DEFAULT_TIMEOUT : action.timeout();
    Instant timerDue = claimed.job().timerDue();
    return new AttemptContext() {
      @Override
      public String project() {
        return claimed.run().project();
      }

      @Override
      public String runId() {
        return claimed.run().id();
      }

      @Override
      public String taskName() {
        return claimed.task().name();
      }

      @Override
      public int attempt() {
        return claimed.attempt();
      }

      @Override
      public String idempotencyKey() {
        return claimed.task().idempotencyKey();
      }

      @Override
      public String action() {
        return action.name();
      }

      @Override
      public JsonNode spec() {
        return action.spec();
      }

      @Override
      public Templates templates() {
        return templates;
      }

      @Override
      public Duration timeout() {
        return timeout;
      }

      @Override
      public Path workDir() {
        if (!dirCreated.get()) {
          try {
            Files.createDirectories(workDir);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create work directory " + workDir, e);
          }
          dirCreated.set(true);
        }
        return workDir;
      }

      @Override
      public AttemptLog log() {
        return log;
      }

      @Override
      public AbortSignal abortSignal() {
        return abort;
      }

      @Override
      public Clock clock() {
        return clock;
      }

      @Override
      public Instant timerDue() {
        return timerDue;
      }

      @Override
      public long maxFileBytes() {
        return artifacts.maxFileBytes();
      }

      @Override
      public void evidence(String key, JsonNode value) {
        log.put(key, value);
      }
    };
  }

  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

  private static String safe(String name) {
    return UNSAFE.matcher(name).replaceAll("_");
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}", dir, e);
    }
  }
}
