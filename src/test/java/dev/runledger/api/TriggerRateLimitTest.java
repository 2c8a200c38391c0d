package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Role;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trigger rate limit: one budget per principal over every trigger route, per-role rates. */
class TriggerRateLimitTest {
  private TestServer server;
  private ApiClient admin;

  @BeforeEach
  void start() {
    server =
        TestServer.start(
            StoreKind.SQLITE,
            c -> c.withTriggersPerMinute(60).withTriggerRatesByRole(Map.of(Role.ADMIN, 100)));
    admin = server.admin();
    assertThat(
            admin
                .putYaml("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n")
                .status())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ApiClient operator() {
    ApiClient.Response r = admin.post("/api/tokens", Map.of("name", "olaf", "role", "operator"));
    return server.client(r.json().get("token").asText());
  }

  private static Map<String, Object> event(int n) {
    return Map.of("specversion", "1.0", "id", "e-" + n, "source", "/test", "type", "nothing");
  }

  @Test
  void the_61st_trigger_in_a_minute_gets_429_with_retry_after_and_creates_nothing() {
    ApiClient operator = operator();
    for (int i = 0; i < 40; i++) {
      assertThat(operator.post("/api/actions/ok/trigger", Map.of()).status()).isEqualTo(202);
    }
    for (int i = 0; i < 20; i++) {
      assertThat(operator.post("/api/events", event(i)).status()).isEqualTo(202);
    }

    ApiClient.Response refused = operator.post("/api/actions/ok/trigger", Map.of());
    JsonNode problem = assertProblem(refused, 429);
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    assertThat(retryAfter).isBetween(1L, 60L);
    assertThat(problem.get("detail").asText()).contains("retry after " + retryAfter + " s");
    assertProblem(operator.post("/api/events", event(99)), 429);

    assertThat(admin.get("/api/runs?limit=500").json().get("items")).hasSize(40);
    assertThat(admin.get("/api/audit?type=event.received&limit=500").json().get("items"))
        .hasSize(20);
  }

  @Test
  void rerun_and_retry_count_against_the_principals_trigger_limit() {
    assertThat(
            admin
                .putYaml(
                    "/api/actions/bad", "kind: action\nname: bad\nbuiltin: {fail: {cause: no}}\n")
                .status())
        .isEqualTo(201);
    ApiClient operator = operator();
    String failed = operator.post("/api/actions/bad/trigger", Map.of()).json().get("id").asText();
    assertThat(Runs.awaitTerminal(operator, failed).get("status").asText()).isEqualTo("failed");
    for (int i = 0; i < 29; i++) {
      assertThat(operator.post("/api/actions/ok/trigger", Map.of()).status()).isEqualTo(202);
    }
    for (int i = 0; i < 30; i++) {
      assertThat(operator.post("/api/runs/" + failed + "/rerun", Map.of()).status()).isEqualTo(202);
    }

    assertProblem(operator.post("/api/actions/ok/trigger", Map.of()), 429);
    ApiClient.Response rerun = operator.post("/api/runs/" + failed + "/rerun", Map.of());
    assertProblem(rerun, 429);
    assertThat(rerun.header("Retry-After")).isNotBlank();
    assertProblem(operator.post("/api/runs/" + failed + "/retry", Map.of("force", true)), 429);

    assertThat(admin.get("/api/runs?limit=500").json().get("items")).hasSize(60);
    JsonNode run = admin.get("/api/runs/" + failed).json();
    assertThat(run.get("status").asText()).isEqualTo("failed");
    assertThat(admin.get("/api/runs/" + failed + "/tasks/bad").json().get("attempts")).hasSize(1);
  }

  @Test
  void a_role_override_gives_its_principals_another_rate() {
    for (int i = 0; i < 100; i++) {
      assertThat(admin.post("/api/actions/ok/trigger", Map.of()).status()).isEqualTo(202);
    }
    assertProblem(admin.post("/api/actions/ok/trigger", Map.of()), 429);
    // another principal has its own budget
    assertThat(operator().post("/api/actions/ok/trigger", Map.of()).status()).isEqualTo(202);
  }

  @Test
  void a_webhook_is_limited_per_workflow() {
    assertThat(
            admin
                .putYaml(
                    "/api/workflows/hooked",
                    "kind: workflow\nname: hooked\nsteps:\n  - {id: one, uses: ok}\n")
                .status())
        .isEqualTo(201);
    String secret =
        admin.post("/api/workflows/hooked/hook", Map.of()).json().get("secret").asText();
    ApiClient anyone = server.client(null);
    for (int i = 0; i < 60; i++) {
      assertThat(anyone.post("/hooks/hooked/" + secret, Map.of("n", i)).status()).isEqualTo(202);
    }
    ApiClient.Response refused = anyone.post("/hooks/hooked/" + secret, Map.of("n", 60));
    assertProblem(refused, 429);
    assertThat(refused.header("Retry-After")).isNotBlank();
    assertThat(admin.get("/api/runs?limit=500").json().get("items")).hasSize(60);
  }
}
