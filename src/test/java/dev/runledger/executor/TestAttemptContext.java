package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** An attempt context for tests, made with {@link #anAttempt(Path)}. */
record TestAttemptContext(
    String project,
    String runId,
    String taskName,
    int attempt,
    String idempotencyKey,
    String action,
    JsonNode spec,
    Templates templates,
    Duration timeout,
    Path workDir,
    AttemptLog log,
    AbortSignal abortSignal,
    Clock clock,
    Instant timerDue,
    Map<String, String> environment,
    Map<String, JsonNode> evidence)
    implements AttemptContext {

  /** Kept for the test to read, as the engine keeps it with the attempt. */
  @Override
  public void evidence(String key, JsonNode value) {
    evidence.put(key, value);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  static Builder anAttempt(Path workDir) {
    return new Builder(workDir);
  }

  /** Builds a test context; defaults are a first attempt of task "step" in run "run-1". */
  static final class Builder {
    private final Path workDir;
    private String runId = "run-1";
    private String taskName = "step";
    private int attempt = 1;
    private String idempotencyKey = "run-1/step";
    private JsonNode spec = JSON.createObjectNode();
    private Templates templates = new TestTemplates(Map.of());
    private Duration timeout = Duration.ofSeconds(30);
    private AttemptLog log = new RecordingLog();
    private AbortSignal abortSignal = new AbortSignal();
    private Clock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private Instant timerDue;
    private Map<String, String> environment = Map.of();

    private Builder(Path workDir) {
      this.workDir = workDir;
    }

    /** The kind-specific section, as JSON text (single quotes allowed for readability). */
    Builder spec(String json) {
      try {
        this.spec = JSON.readTree(json);
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
      return this;
    }

    Builder spec(JsonNode spec) {
      this.spec = spec;
      return this;
    }

    Builder templates(Templates templates) {
      this.templates = templates;
      return this;
    }

    Builder inputs(Map<String, ?> inputs) {
      this.templates = new TestTemplates(inputs);
      return this;
    }

    Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    Builder log(AttemptLog log) {
      this.log = log;
      return this;
    }

    Builder abortSignal(AbortSignal abortSignal) {
      this.abortSignal = abortSignal;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    Builder timerDue(Instant timerDue) {
      this.timerDue = timerDue;
      return this;
    }

    Builder idempotencyKey(String key) {
      this.idempotencyKey = key;
      return this;
    }

    Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    Builder environment(Map<String, String> environment) {
      this.environment = environment;
      return this;
    }

    TestAttemptContext build() {
      return new TestAttemptContext(
          "default",
          runId,
          taskName,
          attempt,
          idempotencyKey,
          "test-action",
          spec,
          templates,
          timeout,
          workDir,
          log,
          abortSignal,
          clock,
          timerDue,
          environment,
          new java.util.concurrent.ConcurrentHashMap<>());
    }
  }
}
