package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import dev.runledger.testing.TickingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens expire when told to, say when they were last used, and show a hint of their value. */
class TokenLifecycleTest {

  @Test
  void a_token_made_to_expire_is_refused_once_its_time_is_up() {
    TickingClock clock = new TickingClock();
    try (TestServer server = TestServer.start(StoreKind.SQLITE, c -> c, clock)) {
      ApiClient admin = server.admin();
      ApiClient.Response made =
          admin.post("/api/tokens", Map.of("name", "ci-bot", "role", "viewer", "expiresIn", "12h"));
      assertThat(made.status()).isEqualTo(201);
      Instant expires = Instant.parse(made.json().get("expiresAt").asText());
      assertThat(Duration.between(clock.instant(), expires))
          .isBetween(Duration.ofHours(12).minusMinutes(1), Duration.ofHours(12));
      ApiClient bot = server.client(made.json().get("token").asText());

      assertThat(bot.get("/api/runs").status()).isEqualTo(200);
      clock.advance(Duration.ofHours(11).plusMinutes(59));
      assertThat(bot.get("/api/runs").status()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(2));
      assertThat(bot.get("/api/runs").status()).isEqualTo(401);
      assertThat(admin.get("/api/runs").status()).as("a token without expiry").isEqualTo(200);
    }
  }

  @Test
  void expiry_that_is_not_a_duration_or_out_of_range_is_refused_naming_the_field() {
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient admin = server.admin();
      for (String bad : new String[] {"soon", "0s", "3651d"}) {
        ApiClient.Response r =
            admin.post("/api/tokens", Map.of("name", "x", "role", "viewer", "expiresIn", bad));
        assertProblem(r, 400);
        assertThat(r.text()).as(bad).contains("expiresIn");
      }
      assertThat(admin.get("/api/tokens").json().get("items")).hasSize(1);
    }
  }

  @Test
  void the_list_shows_a_hint_of_each_value_and_when_it_was_last_used() {
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient admin = server.admin();
      ApiClient.Response made = admin.post("/api/tokens", Map.of("name", "olaf", "role", "viewer"));
      String value = made.json().get("token").asText();
      String id = made.json().get("id").asText();
      assertThat(made.json().get("lastUsedAt").isNull()).isTrue();
      String hint = made.json().get("hint").asText();
      assertThat(hint).startsWith("rl_").endsWith("…").hasSize(8);
      assertThat(value).startsWith(hint.substring(0, 7));

      server.client(value).get("/api/runs");

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                JsonNode listed = null;
                for (JsonNode t : admin.get("/api/tokens").json().get("items")) {
                  if (t.get("id").asText().equals(id)) {
                    listed = t;
                  }
                }
                assertThat(listed).isNotNull();
                assertThat(listed.get("lastUsedAt").isNull()).isFalse();
                assertThat(listed.get("hint").asText()).isEqualTo(hint);
                assertThat(listed.toString()).doesNotContain(value);
              });
    }
  }
}
