package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP conventions of docs/api-conventions.md, on a real server. */
class HttpConventionsTest {
  private static final String ECHO =
      "kind: action\nname: echo\ncommand:\n  script: |\n    echo first\n    echo second\n";

  private static TestServer server;
  private static ApiClient admin;
  private static ApiClient anonymous;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    anonymous = server.client(null);
    assertThat(admin.putYaml("/api/actions/echo", ECHO).status()).isIn(200, 201);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String finishedRun() {
    ApiClient.Response r = admin.post("/api/actions/echo/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String id = r.json().get("id").asText();
    Runs.awaitTerminal(admin, id);
    return id;
  }

  @Test
  void head_is_authorized_like_get_and_mirrors_its_status_and_headers() {
    ApiClient.Response noToken = anonymous.send("HEAD", "/api/runs", null, null, Map.of());
    assertThat(noToken.status()).isEqualTo(401);
    assertThat(noToken.header("WWW-Authenticate")).startsWith("Bearer");

    ApiClient.Response ok = admin.send("HEAD", "/api/runs", null, null, Map.of());
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("Content-Type")).startsWith("application/json");
    assertThat(ok.text()).isEmpty();

    assertThat(admin.send("HEAD", "/api/runs/run_missing", null, null, Map.of()).status())
        .isEqualTo(404);
    String run = finishedRun();
    ApiClient.Response get = admin.get("/api/runs/" + run);
    ApiClient.Response head = admin.send("HEAD", "/api/runs/" + run, null, null, Map.of());
    assertThat(head.header("ETag")).isEqualTo(get.header("ETag")).isNotNull();
    assertThat(anonymous.send("HEAD", "/api/health", null, null, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void a_401_says_to_send_a_bearer_token() {
    ApiClient.Response r = anonymous.get("/api/runs");
    JsonNode problem = assertProblem(r, 401);
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(problem.path("type").asText()).isEqualTo(ProblemType.BASE + "unauthorized");
  }

  @Test
  void an_unknown_method_on_a_known_path_is_405_with_allow() {
    ApiClient.Response r =
        admin.send("PATCH", "/api/actions/echo", "{}", "application/json", Map.of());
    JsonNode problem = assertProblem(r, 405);
    assertThat(r.header("Allow").split(",\\s*"))
        .containsExactlyInAnyOrder("GET", "HEAD", "PUT", "DELETE");
    assertThat(problem.path("type").asText()).isEqualTo(ProblemType.BASE + "method-not-allowed");

    ApiClient.Response list = admin.send("DELETE", "/api/runs", null, null, Map.of());
    assertProblem(list, 405);
    assertThat(list.header("Allow").split(",\\s*")).containsExactlyInAnyOrder("GET", "HEAD");
    assertProblem(admin.get("/api/no-such-thing"), 404);
  }

  @Test
  void a_body_of_an_unsupported_media_type_is_415_and_starts_nothing() {
    int before = admin.get("/api/runs?action=echo&limit=500").json().path("items").size();
    ApiClient.Response r =
        admin.postRaw(
            "/api/actions/echo/trigger", "parameters=1", "application/x-www-form-urlencoded");
    JsonNode problem = assertProblem(r, 415);
    assertThat(problem.path("type").asText())
        .isEqualTo(ProblemType.BASE + "unsupported-media-type");
    assertThat(r.header("Accept-Post")).contains("application/json");
    assertThat(admin.get("/api/runs?action=echo&limit=500").json().path("items").size())
        .isEqualTo(before);

    ApiClient.Response csv = admin.send("PUT", "/api/actions/other", "a,b", "text/csv", Map.of());
    assertProblem(csv, 415);
    assertProblem(admin.get("/api/actions/other"), 404);
    ApiClient.Response batch = admin.postRaw("/api/events", "[]", "application/x-ndjson");
    assertProblem(batch, 415);
  }

  @Test
  void problems_name_their_type_and_instance() {
    ApiClient.Response r = admin.get("/api/runs/run_nope");
    JsonNode problem = assertProblem(r, 404);
    assertThat(problem.path("type").asText()).isEqualTo(ProblemType.BASE + "not-found");
    assertThat(problem.path("instance").asText()).isEqualTo("/api/runs/run_nope");

    JsonNode invalid = assertProblem(admin.get("/api/runs?limit=0"), 400);
    assertThat(invalid.path("type").asText()).isEqualTo(ProblemType.BASE + "validation");
  }

  @Test
  void runs_tasks_and_definitions_carry_an_etag_and_if_none_match_is_304() {
    String run = finishedRun();
    for (String path :
        List.of("/api/runs/" + run, "/api/runs/" + run + "/tasks/echo", "/api/actions/echo")) {
      ApiClient.Response first = admin.get(path);
      String etag = first.header("ETag");
      assertThat(etag).as(path).matches("\"[0-9a-f]{32}\"");
      ApiClient.Response again = admin.send("GET", path, null, null, Map.of("If-None-Match", etag));
      assertThat(again.status()).as(path).isEqualTo(304);
      assertThat(again.text()).isEmpty();
      ApiClient.Response other =
          admin.send("GET", path, null, null, Map.of("If-None-Match", "\"0000\""));
      assertThat(other.status()).isEqualTo(200);
    }
  }

  @Test
  void a_definition_put_with_a_stale_if_match_is_412_and_saves_nothing() {
    String yaml = "kind: action\nname: guarded\ncommand:\n  run: [echo, one]\n";
    assertThat(admin.putYaml("/api/actions/guarded", yaml).status()).isEqualTo(201);
    String read = admin.get("/api/actions/guarded").header("ETag");

    // someone else changes it after we read it
    assertThat(admin.putYaml("/api/actions/guarded", yaml.replace("one", "two")).status())
        .isEqualTo(201);

    ApiClient.Response lost =
        admin.send(
            "PUT",
            "/api/actions/guarded",
            yaml.replace("one", "three"),
            "application/yaml",
            Map.of("If-Match", read));
    JsonNode problem = assertProblem(lost, 412);
    assertThat(problem.path("type").asText()).isEqualTo(ProblemType.BASE + "precondition-failed");
    assertThat(admin.get("/api/actions/guarded").json().path("revision").asInt()).isEqualTo(2);

    String current = admin.get("/api/actions/guarded").header("ETag");
    ApiClient.Response ok =
        admin.send(
            "PUT",
            "/api/actions/guarded",
            yaml.replace("one", "three"),
            "application/yaml",
            Map.of("If-Match", current));
    assertThat(ok.status()).as(ok.text()).isEqualTo(201);
    ApiClient.Response createOnly =
        admin.send(
            "PUT", "/api/actions/guarded", yaml, "application/yaml", Map.of("If-None-Match", "*"));
    assertProblem(createOnly, 412);
  }

  @Test
  void a_list_with_a_next_page_links_to_it() {
    finishedRun();
    finishedRun();
    ApiClient.Response page = admin.get("/api/runs?action=echo&limit=1");
    String next = page.json().path("nextCursor").asText();
    String link = page.header("Link");
    assertThat(link).contains("rel=\"next\"");
    Matcher m = Pattern.compile("<([^>]+)>").matcher(link);
    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).startsWith("/api/runs?").contains("action=echo", "limit=1");
    ApiClient.Response second = admin.get(m.group(1));
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().path("items").get(0).path("id").asText())
        .isNotEqualTo(page.json().path("items").get(0).path("id").asText());
    assertThat(next).isNotBlank();
    assertThat(
            admin
                .get("/api/runs/" + second.json().path("items").get(0).path("id").asText())
                .header("Link"))
        .isNull();
  }

  @Test
  void log_events_carry_ids_and_retry_and_a_reconnect_resumes_after_the_last_event_id() {
    String run = finishedRun();
    String logs = "/api/runs/" + run + "/tasks/echo/logs?follow=true";
    ApiClient.Response all = admin.get(logs);
    assertThat(all.text()).startsWith("retry: ").contains("first", "second", "event: end");
    Matcher id =
        Pattern.compile("id: (\\d+)\\nevent: line\\ndata: [^\\n]*first").matcher(all.text());
    assertThat(id.find()).as(all.text()).isTrue();

    ApiClient.Response resumed =
        admin.send("GET", logs, null, null, Map.of("Last-Event-ID", id.group(1)));
    assertThat(resumed.text()).contains("second", "event: end").doesNotContain("first");
    assertProblem(admin.send("GET", logs, null, null, Map.of("Last-Event-ID", "x")), 400);
  }

  @Test
  void cors_is_off_by_default() {
    ApiClient.Response r =
        admin.send("GET", "/api/runs", null, null, Map.of("Origin", "https://app.example.com"));
    assertThat(r.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void cors_origins_given_to_serve_may_call_the_api() {
    try (TestServer cors =
        TestServer.start(
            StoreKind.SQLITE, c -> c.withCorsOrigins(List.of("https://app.example.com")))) {
      ApiClient client = cors.admin();
      ApiClient.Response allowed =
          client.send("GET", "/api/runs", null, null, Map.of("Origin", "https://app.example.com"));
      assertThat(allowed.header("Access-Control-Allow-Origin"))
          .isEqualTo("https://app.example.com");
      assertThat(allowed.header("Access-Control-Expose-Headers")).contains("ETag", "Link");
      ApiClient.Response preflight =
          cors.client(null)
              .send(
                  "OPTIONS",
                  "/api/runs",
                  null,
                  null,
                  Map.of(
                      "Origin", "https://app.example.com",
                      "Access-Control-Request-Method", "GET",
                      "Access-Control-Request-Headers", "authorization"));
      assertThat(preflight.status()).isEqualTo(200);
      assertThat(preflight.header("Access-Control-Allow-Headers"))
          .containsIgnoringCase("authorization");
      ApiClient.Response other =
          client.send("GET", "/api/runs", null, null, Map.of("Origin", "https://evil.example"));
      assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    }
  }
}
