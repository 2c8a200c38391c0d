package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static dev.runledger.api.ProblemAssertions.errorFields;
import static dev.runledger.api.ProblemAssertions.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad and hostile input gets a 4xx problem detail, quickly, and leaves nothing behind. */
class BadInputTest {
  private static final Duration QUICKLY = Duration.ofSeconds(5);

  private TestServer server;
  private ApiClient admin;

  @BeforeEach
  void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void defineNoop(String name) {
    ApiClient.Response r =
        admin.putYaml(
            "/api/actions/" + name, "kind: action\nname: " + name + "\nbuiltin: {noop: {}}\n");
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private void assertNoRuns() {
    assertThat(admin.get("/api/runs").json().get("items")).isEmpty();
    assertThat(admin.get("/api/audit?type=run.created").json().get("items")).isEmpty();
  }

  private void assertNoDefinition(String name) {
    assertThat(admin.get("/api/actions/" + name).status()).isEqualTo(404);
    assertThat(admin.get("/api/audit?type=definition.revised").json().get("items")).isEmpty();
  }

  @Test
  void malformed_json_on_trigger_is_400_naming_the_body_and_starts_nothing() {
    defineNoop("noop");
    ApiClient.Response r =
        admin.postRaw("/api/actions/noop/trigger", "{\"parameters\": {", "application/json");
    JsonNode problem = assertProblem(r, 400);
    assertThat(errorFields(problem)).contains("body");
    // Where and what, in the caller's terms: no parser internals.
    assertThat(problem.get("detail").asText())
        .startsWith("the body is not valid JSON at line 1, column")
        .contains("start marker at line 1, column 1")
        .doesNotContain("Source")
        .doesNotContain("StreamReadFeature");
    assertNoRuns();
  }

  @Test
  void a_trigger_body_that_is_not_an_object_is_400_naming_the_body() {
    defineNoop("noop");
    JsonNode problem =
        assertProblem(
            admin.postRaw("/api/actions/noop/trigger", "[1, 2]", "application/json"), 400);
    assertThat(errorFields(problem)).contains("body");
    assertNoRuns();
  }

  @Test
  void malformed_json_definition_is_400_naming_the_body_and_stores_nothing() {
    ApiClient.Response r =
        admin.send(
            "PUT",
            "/api/actions/broken",
            "{\"kind\": \"action\", \"name\": \"broken\",",
            "application/json",
            Map.of());
    JsonNode problem = assertProblem(r, 400);
    assertThat(errorFields(problem)).contains("body");
    assertNoDefinition("broken");
  }

  @Test
  void malformed_yaml_definition_is_400_naming_the_line() {
    String yaml =
        """
        kind: action
        name: broken
        description: this: is not a mapping
        builtin: {noop: {}}
        """;
    JsonNode problem = assertProblem(admin.putYaml("/api/actions/broken", yaml), 400);
    assertThat(errorFields(problem)).contains("body");
    assertThat(messages(problem)).contains("line 3");
    assertNoDefinition("broken");
  }

  @Test
  void event_parameters_that_do_not_compile_or_use_secrets_are_400_naming_each_parameter() {
    defineNoop("noop");
    String yaml =
        """
        kind: workflow
        name: listens
        on:
          events:
            - type: kyc.policy.changed
              parameters:
                region: "${{ event.data.region + }}"
                token: "${{ secrets.API_TOKEN }}"
        steps:
          - {id: one, uses: noop}
        """;
    JsonNode problem = assertProblem(admin.putYaml("/api/workflows/listens", yaml), 400);
    assertThat(errorFields(problem))
        .containsExactlyInAnyOrder(
            "on.events[0].parameters.region", "on.events[0].parameters.token");
    assertThat(messages(problem)).contains("column").contains("secrets");
    assertThat(admin.get("/api/workflows/listens").status()).isEqualTo(404);
  }

  @Test
  void yaml_alias_bomb_is_refused_quickly_and_stores_nothing() {
    StringBuilder yaml = new StringBuilder("kind: action\nname: lol\nbuiltin: {noop: {}}\n");
    yaml.append(
        "l0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for (int i = 1; i <= 9; i++) {
      String prev = "*l" + (i - 1);
      yaml.append("l")
          .append(i)
          .append(": &l")
          .append(i)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, prev)))
          .append("]\n");
    }
    ApiClient.Response r =
        assertTimeoutPreemptively(
            QUICKLY, () -> admin.putYaml("/api/actions/lol", yaml.toString()));
    JsonNode problem = assertProblem(r, 400);
    assertThat(errorFields(problem)).contains("body");
    assertThat(messages(problem)).contains("alias");
    assertNoDefinition("lol");
  }

  @Test
  void ten_thousand_deep_yaml_is_refused_quickly_and_stores_nothing() {
    String yaml =
        "kind: action\nname: deep\nbuiltin: {noop: {}}\ndescription: "
            + "[".repeat(10_000)
            + "]".repeat(10_000)
            + "\n";
    ApiClient.Response r =
        assertTimeoutPreemptively(QUICKLY, () -> admin.putYaml("/api/actions/deep", yaml));
    JsonNode problem = assertProblem(r, 400);
    assertThat(errorFields(problem)).contains("body");
    assertNoDefinition("deep");
  }

  @Test
  void ten_thousand_deep_json_definition_is_refused_quickly_and_stores_nothing() {
    String json =
        "{\"kind\": \"action\", \"name\": \"deep\", \"builtin\": {\"noop\": {}}, \"description\": "
            + "[".repeat(10_000)
            + "]".repeat(10_000)
            + "}";
    ApiClient.Response r =
        assertTimeoutPreemptively(
            QUICKLY,
            () -> admin.send("PUT", "/api/actions/deep", json, "application/json", Map.of()));
    JsonNode problem = assertProblem(r, 400);
    assertThat(errorFields(problem)).contains("body");
    assertNoDefinition("deep");
  }

  @Test
  void ten_thousand_deep_json_trigger_body_is_refused_quickly_and_starts_nothing() {
    defineNoop("noop");
    String json = "{\"parameters\": {\"a\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}}";
    ApiClient.Response r =
        assertTimeoutPreemptively(
            QUICKLY, () -> admin.postRaw("/api/actions/noop/trigger", json, "application/json"));
    JsonNode problem = assertProblem(r, 400);
    assertThat(errorFields(problem)).contains("body");
    assertNoRuns();
  }

  @Test
  void a_body_over_the_configured_limit_is_413_problem_json_and_stores_nothing() {
    try (TestServer small = TestServer.start(StoreKind.SQLITE, c -> c.withMaxBodyBytes(4096))) {
      ApiClient api = small.admin();
      String description = "x".repeat(8192);
      ApiClient.Response put =
          api.putYaml(
              "/api/actions/big",
              "kind: action\nname: big\nbuiltin: {noop: {}}\ndescription: " + description + "\n");
      assertProblem(put, 413);
      assertThat(api.get("/api/actions/big").status()).isEqualTo(404);

      ApiClient.Response small1 =
          api.putYaml("/api/actions/noop", "kind: action\nname: noop\nbuiltin: {noop: {}}\n");
      assertThat(small1.status()).as(small1.text()).isEqualTo(201);
      ApiClient.Response trigger =
          api.post("/api/actions/noop/trigger", Map.of("labels", Map.of("pad", description)));
      assertProblem(trigger, 413);
      assertThat(api.get("/api/runs").json().get("items")).isEmpty();
    }
  }

  @Test
  void a_chunked_body_over_the_limit_without_content_length_is_413() throws Exception {
    try (TestServer small = TestServer.start(StoreKind.SQLITE, c -> c.withMaxBodyBytes(4096))) {
      byte[] body =
          ("kind: action\nname: big\nbuiltin: {noop: {}}\ndescription: " + "x".repeat(100_000))
              .getBytes(StandardCharsets.UTF_8);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(small.node().url() + "/api/actions/big"))
              .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
              .header("Content-Type", "application/yaml")
              .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      Map<String, String> headers = new LinkedHashMap<>();
      response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
      assertProblem(new ApiClient.Response(response.statusCode(), headers, response.body()), 413);
      assertThat(small.admin().get("/api/actions/big").status()).isEqualTo(404);
    }
  }

  @Test
  void a_body_over_the_default_one_mebibyte_limit_is_413() {
    String description = "x".repeat((1 << 20) + 1);
    ApiClient.Response r =
        admin.putYaml(
            "/api/actions/big",
            "kind: action\nname: big\nbuiltin: {noop: {}}\ndescription: " + description + "\n");
    assertProblem(r, 413);
    assertNoDefinition("big");
  }

  @Test
  void times_outside_the_supported_range_are_400_naming_the_field_on_lists_and_reports() {
    String far = "%2B10000-01-01T00:00:00Z"; // +10000-01-01T00:00:00Z
    String before = "-0001-12-31T00:00:00Z";
    assertThat(errorFields(assertProblem(admin.get("/api/runs?until=" + far), 400)))
        .containsExactly("until");
    assertThat(errorFields(assertProblem(admin.get("/api/runs?since=" + before), 400)))
        .containsExactly("since");
    assertThat(errorFields(assertProblem(admin.get("/api/audit?since=" + far), 400)))
        .containsExactly("since");
    JsonNode report = assertProblem(admin.get("/api/reports/runs?from=2026-01-01&to=" + far), 400);
    assertThat(errorFields(report)).containsExactly("to");
    assertThat(messages(report)).contains("years 0001 to 9999");
    assertThat(
            errorFields(
                assertProblem(
                    admin.get("/api/reports/runs?from=%2B10000-01-01&to=2026-01-01"), 400)))
        .containsExactly("from");
  }

  @Test
  void a_literal_sleep_until_outside_the_supported_range_is_400_and_stores_nothing() {
    ApiClient.Response r =
        admin.putYaml(
            "/api/actions/nap",
            "kind: action\nname: nap\nbuiltin: {sleep: {until: \"+10000-01-01T00:00:00Z\"}}\n");
    JsonNode problem = assertProblem(r, 400);
    assertThat(errorFields(problem)).containsExactly("builtin.sleep.until");
    assertThat(messages(problem)).contains("outside the supported times");
    assertNoDefinition("nap");
  }

  @Test
  void triggering_an_unknown_action_is_404_problem_json() {
    JsonNode problem = assertProblem(admin.post("/api/actions/nope/trigger", Map.of()), 404);
    assertThat(problem.get("detail").asText()).contains("nope");
    assertNoRuns();
  }

  @Test
  void an_unknown_run_is_404_problem_json() {
    assertProblem(admin.get("/api/runs/run_01JD3NOSUCHRUN0000000000"), 404);
    assertProblem(admin.get("/api/runs/run_01JD3NOSUCHRUN0000000000/tasks"), 404);
    assertProblem(admin.post("/api/runs/run_01JD3NOSUCHRUN0000000000/cancel", Map.of()), 404);
  }

  @Test
  void an_unknown_route_under_api_is_404_problem_json_with_or_without_a_token() {
    assertProblem(admin.get("/api/no-such-thing"), 404);
    assertProblem(admin.post("/api/runs/x/y/z", Map.of()), 404);
    assertProblem(server.client(null).get("/api/no-such-thing"), 404);
  }

  @Test
  void a_method_a_route_does_not_take_is_answered_with_a_problem() {
    ApiClient.Response patch = admin.send("PATCH", "/api/runs", "{}", "application/json", Map.of());
    assertProblem(patch, patch.status() == 405 ? 405 : 404);
    ApiClient.Response post = admin.post("/api/runs", Map.of());
    assertProblem(post, post.status() == 405 ? 405 : 404);
  }

  @Test
  void cancelling_or_aborting_a_finished_run_is_409_problem_json() {
    defineNoop("noop");
    String id = admin.post("/api/actions/noop/trigger", Map.of()).json().get("id").asText();
    JsonNode run = Runs.awaitTerminal(admin, id);
    assertThat(run.get("status").asText()).isEqualTo("completed");

    JsonNode cancel =
        assertProblem(admin.post("/api/runs/" + id + "/cancel", Map.of("reason", "late")), 409);
    assertThat(cancel.get("detail").asText()).contains("completed");
    assertProblem(admin.post("/api/runs/" + id + "/abort", Map.of("reason", "late")), 409);

    JsonNode after = admin.get("/api/runs/" + id).json();
    assertThat(after.get("status").asText()).isEqualTo("completed");
    assertThat(after.get("cancel").isNull()).isTrue();
    assertThat(admin.get("/api/audit?type=run.cancel-requested").json().get("items")).isEmpty();
  }

  @Test
  void the_third_trigger_in_a_minute_over_a_limit_of_two_is_429_with_retry_after() {
    try (TestServer limited = TestServer.start(StoreKind.SQLITE, c -> c.withTriggersPerMinute(2))) {
      ApiClient api = limited.admin();
      assertThat(
              api.putYaml("/api/actions/noop", "kind: action\nname: noop\nbuiltin: {noop: {}}\n")
                  .status())
          .isEqualTo(201);
      assertThat(api.post("/api/actions/noop/trigger", Map.of()).status()).isEqualTo(202);
      assertThat(api.post("/api/actions/noop/trigger", Map.of()).status()).isEqualTo(202);

      ApiClient.Response third = api.post("/api/actions/noop/trigger", Map.of());
      JsonNode problem = assertProblem(third, 429);
      String retryAfter = third.header("Retry-After");
      assertThat(retryAfter).matches("\\d+");
      assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);
      assertThat(problem.get("detail").asText()).contains("retry after " + retryAfter);
      assertThat(api.get("/api/runs").json().get("items")).hasSize(2);
    }
  }

  private int tokenCount() {
    return admin.get("/api/tokens").json().get("items").size();
  }

  @Test
  void a_list_holding_an_object_where_names_go_is_400_naming_the_element() {
    int tokens = tokenCount();
    JsonNode token =
        assertProblem(
            admin.postRaw(
                "/api/tokens",
                "{\"name\": \"ci\", \"role\": \"viewer\", \"projects\": [{}]}",
                "application/json"),
            400);
    assertThat(errorFields(token)).containsExactly("projects[0]");
    assertThat(messages(token)).contains("projects[0] must be a string");
    assertThat(tokenCount()).isEqualTo(tokens);

    defineNoop("noop");
    String id = admin.post("/api/actions/noop/trigger", Map.of()).json().get("id").asText();
    Runs.awaitTerminal(admin, id);
    JsonNode retry =
        assertProblem(
            admin.postRaw(
                "/api/runs/" + id + "/retry", "{\"tasks\": [\"a\", {}]}", "application/json"),
            400);
    assertThat(errorFields(retry)).containsExactly("tasks[1]");
    assertThat(admin.get("/api/audit?type=task.retry-requested").json().get("items")).isEmpty();
  }

  @Test
  void a_key_given_twice_in_a_json_body_is_400_and_starts_nothing() {
    defineNoop("noop");
    JsonNode problem =
        assertProblem(
            admin.postRaw(
                "/api/actions/noop/trigger",
                "{\"labels\": {\"team\": \"a\"}, \"labels\": {\"team\": \"b\"}}",
                "application/json"),
            400);
    assertThat(errorFields(problem)).containsExactly("body");
    assertThat(messages(problem)).contains("Duplicate field 'labels'");
    assertNoRuns();
  }

  @Test
  void text_after_the_json_body_is_400_without_parser_internals_and_creates_no_token() {
    int tokens = tokenCount();
    JsonNode problem =
        assertProblem(
            admin.postRaw(
                "/api/tokens",
                "{\"name\": \"ci\", \"role\": \"viewer\"} {\"role\": \"admin\"}",
                "application/json"),
            400);
    assertThat(errorFields(problem)).containsExactly("body");
    assertThat(messages(problem))
        .contains("more than one value")
        .doesNotContain("com.fasterxml")
        .doesNotContain("JsonNode")
        .doesNotContain("FAIL_ON_TRAILING_TOKENS");
    assertThat(tokenCount()).isEqualTo(tokens);
  }

  @Test
  void a_second_yaml_document_or_text_after_a_json_definition_is_400_in_the_callers_terms() {
    JsonNode yaml =
        assertProblem(
            admin.putYaml(
                "/api/actions/two",
                "kind: action\nname: two\nbuiltin: {noop: {}}\n---\nkind: action\nname: x\n"),
            400);
    assertThat(messages(yaml))
        .contains("line 5", "more than one YAML document")
        .doesNotContain("com.fasterxml")
        .doesNotContain("JsonNode");
    assertNoDefinition("two");

    JsonNode json =
        assertProblem(
            admin.send(
                "PUT",
                "/api/actions/two",
                "{\"kind\": \"action\", \"name\": \"two\", \"builtin\": {\"noop\": {}}} {}",
                "application/json",
                Map.of()),
            400);
    assertThat(messages(json))
        .contains("unexpected text after the object")
        .doesNotContain("com.fasterxml")
        .doesNotContain("JsonNode");
    assertNoDefinition("two");
  }
}
