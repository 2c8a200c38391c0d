package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.engine.run.RunService;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import dev.runledger.testing.TickingClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An Idempotency-Key names one request: its principal, project, route and body, for a while. */
class IdempotencyKeyBindingTest {
  private final TickingClock clock = new TickingClock();
  private TestServer server;
  private ApiClient admin;

  @BeforeEach
  void start() {
    server = TestServer.start(StoreKind.SQLITE, c -> c, clock);
    admin = server.admin();
    for (String name : new String[] {"hello", "say"}) {
      String yaml =
          "kind: action\nname: "
              + name
              + "\ninputs:\n  type: object\n  properties:\n    who: {type: string}\n"
              + "command:\n  run: [echo, hi]\n";
      assertThat(admin.putYaml("/api/actions/" + name, yaml).status()).isEqualTo(201);
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ApiClient.Response trigger(String action, String body, String key) {
    return admin.send(
        "POST",
        "/api/actions/" + action + "/trigger",
        body,
        "application/json",
        Map.of("Idempotency-Key", key));
  }

  private int runs() {
    return admin.get("/api/runs?limit=500").json().path("items").size();
  }

  @Test
  void the_same_request_again_replays_its_run_whatever_the_whitespace_and_key_order() {
    ApiClient.Response first =
        trigger("hello", "{\"parameters\": {\"who\": \"ann\"}, \"labels\": {\"a\": \"1\"}}", "k1");
    assertThat(first.status()).as(first.text()).isEqualTo(202);
    ApiClient.Response again =
        trigger("hello", "{\"labels\":{\"a\":\"1\"},\"parameters\":{\"who\":\"ann\"}}", "k1");
    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json().path("id")).isEqualTo(first.json().path("id"));
    assertThat(runs()).isEqualTo(1);
  }

  @Test
  void the_same_key_on_another_route_is_422_and_starts_nothing() {
    assertThat(trigger("hello", "{}", "k2").status()).isEqualTo(202);
    ApiClient.Response other = trigger("say", "{}", "k2");
    JsonNode problem = assertProblem(other, 422);
    assertThat(problem.path("type").asText())
        .isEqualTo(ProblemType.BASE + "idempotency-key-reused");
    assertThat(problem.path("detail").asText())
        .contains("POST /api/actions/hello/trigger", "POST /api/actions/say/trigger");
    assertThat(other.header("Idempotent-Replayed")).isNull();
    assertThat(runs()).isEqualTo(1);
  }

  @Test
  void the_same_key_with_another_body_is_422_and_starts_nothing() {
    assertThat(trigger("hello", "{\"parameters\": {\"who\": \"ann\"}}", "k3").status())
        .isEqualTo(202);
    JsonNode problem =
        assertProblem(trigger("hello", "{\"parameters\": {\"who\": \"bob\"}}", "k3"), 422);
    assertThat(problem.path("detail").asText()).contains("another body");
    assertThat(runs()).isEqualTo(1);
  }

  @Test
  void a_key_of_another_principal_is_its_own() {
    ApiClient.Response r = admin.post("/api/tokens", Map.of("name", "op", "role", "operator"));
    ApiClient operator = server.client(r.json().path("token").asText());
    assertThat(trigger("hello", "{}", "k4").status()).isEqualTo(202);
    ApiClient.Response theirs =
        operator.send(
            "POST",
            "/api/actions/say/trigger",
            "{}",
            "application/json",
            Map.of("Idempotency-Key", "k4"));
    assertThat(theirs.status()).as(theirs.text()).isEqualTo(202);
  }

  @Test
  void a_key_expires_after_its_retention_and_then_starts_a_new_run() {
    ApiClient.Response first = trigger("hello", "{}", "k5");
    assertThat(first.status()).isEqualTo(202);
    clock.advance(RunService.IDEMPOTENCY_KEY_RETENTION.minus(Duration.ofMinutes(1)));
    assertThat(trigger("hello", "{}", "k5").status()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(2));
    ApiClient.Response later = trigger("say", "{}", "k5");
    assertThat(later.status()).as(later.text()).isEqualTo(202);
    assertThat(later.json().path("id")).isNotEqualTo(first.json().path("id"));
    ApiClient.Response replay = trigger("say", "{}", "k5");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().path("id")).isEqualTo(later.json().path("id"));
  }
}
