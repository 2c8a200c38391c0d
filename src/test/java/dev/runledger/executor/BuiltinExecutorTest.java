package dev.runledger.executor;

import static dev.runledger.executor.TestAttemptContext.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runledger.model.FailureKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinExecutorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private final BuiltinExecutor executor = new BuiltinExecutor();
  private final SettableClock clock = new SettableClock(NOW);

  @TempDir Path workDir;

  private AttemptResult execute(TestAttemptContext.Builder context) {
    return executor.execute(context.clock(clock).build());
  }

  @Test
  void noop_succeeds_with_no_outputs() {
    AttemptResult result = execute(anAttempt(workDir).spec("{\"noop\": {}}"));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class, s -> assertThat(s.outputs()).isEmpty());
  }

  @Test
  void log_writes_the_rendered_message_and_outputs_it() {
    RecordingLog log = new RecordingLog();

    AttemptResult result =
        execute(
            anAttempt(workDir)
                .spec("{\"log\": {\"message\": \"hello ${{ inputs.who }}\"}}")
                .inputs(Map.of("who", "ann"))
                .log(log));

    assertThat(log.stdout).containsExactly("hello ann");
    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class,
            s ->
                assertThat(s.outputs())
                    .isEqualTo(JSON.createObjectNode().put("message", "hello ann")));
  }

  @Test
  void log_masks_secrets() {
    RecordingLog log = new RecordingLog();

    execute(
        anAttempt(workDir)
            .spec("{\"log\": {\"message\": \"token ${{ secrets.T }}\"}}")
            .templates(new TestTemplates(Map.of(), Map.of("T", "s3cr3t")))
            .log(log));

    assertThat(log.stdout).containsExactly("token ***");
  }

  @Test
  void sleep_for_returns_a_durable_timer_then_succeeds_once_it_is_due() {
    AttemptResult first = execute(anAttempt(workDir).spec("{\"sleep\": {\"for\": \"10m\"}}"));

    assertThat(first).isEqualTo(new AttemptResult.Sleep(NOW.plus(Duration.ofMinutes(10))));

    clock.tick(Duration.ofMinutes(5));
    AttemptResult early =
        execute(
            anAttempt(workDir)
                .spec("{\"sleep\": {\"for\": \"10m\"}}")
                .timerDue(((AttemptResult.Sleep) first).until()));
    assertThat(early).isEqualTo(first);

    clock.tick(Duration.ofMinutes(5));
    AttemptResult due =
        execute(
            anAttempt(workDir)
                .spec("{\"sleep\": {\"for\": \"10m\"}}")
                .timerDue(((AttemptResult.Sleep) first).until()));
    assertThat(due).isInstanceOf(AttemptResult.Succeeded.class);
  }

  @Test
  void sleep_until_a_future_time_sleeps_until_then() {
    AttemptResult result =
        execute(anAttempt(workDir).spec("{\"sleep\": {\"until\": \"2030-01-01T07:00:00+01:00\"}}"));

    assertThat(result).isEqualTo(new AttemptResult.Sleep(Instant.parse("2030-01-01T06:00:00Z")));
  }

  @Test
  void sleep_until_a_past_time_succeeds_at_once() {
    AttemptResult result =
        execute(anAttempt(workDir).spec("{\"sleep\": {\"until\": \"2029-12-31T00:00:00Z\"}}"));

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
  }

  @Test
  void sleep_with_a_bad_duration_fails_deterministically() {
    AttemptResult result =
        execute(anAttempt(workDir).spec("{\"sleep\": {\"for\": \"ten minutes\"}}"));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause()).contains("ten minutes");
            });
  }

  @Test
  void fail_fails_with_the_rendered_cause_and_deterministic_by_default() {
    AttemptResult result =
        execute(
            anAttempt(workDir)
                .spec("{\"fail\": {\"cause\": \"account ${{ inputs.id }} is closed\"}}")
                .inputs(Map.of("id", "A-1")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause()).isEqualTo("account A-1 is closed");
            });
  }

  @Test
  void fail_with_kind_transient_is_transient() {
    AttemptResult result =
        execute(
            anAttempt(workDir).spec("{\"fail\": {\"cause\": \"flaky\", \"kind\": \"transient\"}}"));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> assertThat(f.failure().kind()).isEqualTo(FailureKind.TRANSIENT));
  }

  @Test
  void an_unknown_builtin_fails_deterministically_naming_it() {
    AttemptResult result = execute(anAttempt(workDir).spec("{\"teleport\": {}}"));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause()).isEqualTo("unknown builtin: teleport");
            });
  }

  @Test
  void two_builtins_at_once_are_refused() {
    AttemptResult result = execute(anAttempt(workDir).spec("{\"noop\": {}, \"log\": {}}"));

    assertThat(result).isInstanceOf(AttemptResult.Failed.class);
  }
}
