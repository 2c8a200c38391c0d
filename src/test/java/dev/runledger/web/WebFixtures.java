package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.testing.ApiClient;
import java.util.Map;

/** What the web UI's tests set up through the API: definitions, runs, tokens. */
final class WebFixtures {
  private WebFixtures() {}

  /** Creates or revises the action {@code name} with {@code body} (its YAML after the name). */
  static void action(ApiClient admin, String name, String body) {
    define(admin, "action", name, body + "\n");
  }

  /** Creates or revises the {@code kind} (action, workflow) {@code name} with {@code body}. */
  static void define(ApiClient admin, String kind, String name, String body) {
    ApiClient.Response r =
        admin.putYaml(
            "/api/" + kind + "s/" + name, "kind: " + kind + "\nname: " + name + "\n" + body);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  /** Triggers the action {@code name}; the new run's id. */
  static String trigger(ApiClient admin, String name) {
    return trigger(admin, "action", name);
  }

  /** Triggers the {@code kind} (action, workflow) {@code name}; the new run's id. */
  static String trigger(ApiClient admin, String kind, String name) {
    ApiClient.Response r = admin.post("/api/" + kind + "s/" + name + "/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  /** A new token's value for {@code name} with {@code role}. */
  static String token(ApiClient admin, String name, String role) {
    ApiClient.Response r = admin.post("/api/tokens", Map.of("name", name, "role", role));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("token").asText();
  }
}
