package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Firing a schedule now is a trigger: it shares the principal's budget with the other routes. */
class ScheduleFireRateLimitTest {

  @Test
  void firing_a_schedule_now_counts_against_the_principals_trigger_rate_limit() {
    try (TestServer server = TestServer.start(StoreKind.SQLITE, c -> c.withTriggersPerMinute(2))) {
      ApiClient admin = server.admin();
      admin.putYaml("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
      ApiClient.Response put =
          admin.putYaml(
              "/api/workflows/nightly",
              """
              kind: workflow
              name: nightly
              on:
                schedule: [{cron: "0 3 * * *"}]
              steps:
                - {id: one, uses: ok}
              """);
      assertThat(put.status()).as(put.text()).isEqualTo(201);
      ApiClient.Response made =
          admin.post("/api/tokens", Map.of("name", "olaf", "role", "operator"));
      ApiClient operator = server.client(made.json().get("token").asText());

      assertThat(operator.post("/api/workflows/nightly/trigger", Map.of()).status()).isEqualTo(202);
      assertThat(operator.post("/api/workflows/nightly/schedules/0/fire", null).status())
          .isEqualTo(202);
      ApiClient.Response refused = operator.post("/api/workflows/nightly/schedules/0/fire", null);
      assertProblem(refused, 429);
      assertThat(refused.header("Retry-After")).isNotBlank();
      assertThat(admin.get("/api/runs?workflow=nightly").json().get("items")).hasSize(2);
    }
  }
}
