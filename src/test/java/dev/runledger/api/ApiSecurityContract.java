package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static dev.runledger.api.ProblemAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Role;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication, roles, project isolation and input validation through the API, on each store. */
abstract class ApiSecurityContract {
  private static final Set<String> PUBLIC_ROUTES =
      Set.of(
          "GET /api/health",
          "GET /api/ready",
          "GET /api/openapi.yaml",
          "GET /api/schemas/definition.json",
          "POST /hooks/{workflow}/{secret}");

  private TestServer server;
  private ApiClient admin;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store());
    admin = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A token made through the API: {id, token, ...}. */
  private JsonNode issue(String name, String role, List<String> projects) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("role", role);
    if (projects != null) {
      body.put("projects", projects);
    }
    ApiClient.Response r = admin.post("/api/tokens", body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json();
  }

  private ApiClient as(String name, String role) {
    return server.client(issue(name, role, null).get("token").asText());
  }

  private void define(String query, String yaml) {
    String name =
        yaml.lines()
            .filter(l -> l.startsWith("name:"))
            .findFirst()
            .orElseThrow()
            .substring(5)
            .trim();
    ApiClient.Response r = admin.putYaml("/api/actions/" + name + query, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private static String concrete(String path) {
    return path.replaceAll("\\{[^}]+}", "dummy");
  }

  // --- inputs schema -------------------------------------------------------------------------

  @Test
  void parameters_failing_the_inputs_schema_are_400_naming_the_field_and_create_no_run() {
    define(
        "",
        """
        kind: action
        name: repeat
        inputs:
          type: object
          properties: {times: {type: integer, minimum: 1}, who: {type: string}}
          required: [times]
        builtin: {noop: {}}
        """);
    JsonNode wrongType =
        assertProblem(
            admin.post(
                "/api/actions/repeat/trigger", Map.of("parameters", Map.of("times", "many"))),
            400);
    assertThat(errorFields(wrongType)).contains("parameters.times");

    JsonNode tooSmall =
        assertProblem(
            admin.post("/api/actions/repeat/trigger", Map.of("parameters", Map.of("times", 0))),
            400);
    assertThat(errorFields(tooSmall)).contains("parameters.times");

    JsonNode missing =
        assertProblem(
            admin.post("/api/actions/repeat/trigger", Map.of("parameters", Map.of("who", "x"))),
            400);
    assertThat(String.join(" ", errorFields(missing)) + missing).contains("times");

    JsonNode notAnObject =
        assertProblem(
            admin.post("/api/actions/repeat/trigger", Map.of("parameters", List.of(1, 2))), 400);
    assertThat(errorFields(notAnObject)).contains("parameters");

    assertThat(admin.get("/api/runs").json().get("items")).isEmpty();
    assertThat(admin.get("/api/audit?type=run.created").json().get("items")).isEmpty();
    assertThat(admin.get("/api/jobs").json().get("items")).isEmpty();

    // the same action with valid parameters does start: the refusals above were about the input
    assertThat(
            admin
                .post("/api/actions/repeat/trigger", Map.of("parameters", Map.of("times", 2)))
                .status())
        .isEqualTo(202);
    assertThat(admin.get("/api/runs").json().get("items")).hasSize(1);
  }

  // --- authentication ------------------------------------------------------------------------

  @Test
  void a_missing_unknown_or_malformed_token_is_401() {
    assertProblem(server.client(null).get("/api/runs"), 401);
    assertProblem(server.client("no-such-token").get("/api/runs"), 401);
    assertProblem(server.client("x".repeat(1_000)).get("/api/runs"), 401);
    // past Jetty's header limit the request never reaches the API, yet the answer is a problem:
    // 431, or 400 when Jetty gives up on the request line before it has read the headers
    ApiClient.Response huge = server.client("x".repeat(20_000)).get("/api/runs");
    assertProblem(huge, huge.status() == 400 ? 400 : 431);
    assertProblem(
        server
            .client(null)
            .send(
                "GET", "/api/runs", null, null, Map.of("Authorization", "Basic YWRtaW46YWRtaW4=")),
        401);
    assertThat(admin.get("/api/runs").status()).isEqualTo(200);
  }

  @Test
  void a_revoked_token_is_401() {
    JsonNode issued = issue("short-lived", "viewer", null);
    ApiClient viewer = server.client(issued.get("token").asText());
    assertThat(viewer.get("/api/runs").status()).isEqualTo(200);

    assertThat(admin.delete("/api/tokens/" + issued.get("id").asText()).status()).isEqualTo(204);

    assertProblem(viewer.get("/api/runs"), 401);
  }

  @Test
  void the_token_value_appears_only_when_it_is_created() {
    JsonNode issued = issue("once", "viewer", null);
    String value = issued.get("token").asText();
    assertThat(value).isNotBlank();
    assertThat(admin.get("/api/tokens").text()).doesNotContain(value);
    assertThat(admin.get("/api/audit").text()).doesNotContain(value);
  }

  @Test
  void every_route_except_health_openapi_and_webhooks_answers_401_without_a_token() {
    List<RouteTable.Route> routes = server.node().api().routes();
    assertThat(routes).hasSizeGreaterThan(20);
    assertThat(
            routes.stream()
                .filter(r -> r.role() == null)
                .map(r -> r.method() + " " + r.path())
                .collect(Collectors.toSet()))
        .as("routes anyone may call")
        .isEqualTo(PUBLIC_ROUTES);

    ApiClient anonymous = server.client(null);
    ApiClient unknown = server.client("rl_not-a-real-token");
    SoftAssertions soft = new SoftAssertions();
    for (RouteTable.Route route : routes) {
      if (route.role() == null) {
        continue;
      }
      String path = concrete(route.path());
      for (ApiClient client : List.of(anonymous, unknown)) {
        ApiClient.Response r =
            client.send(route.method(), path, "{}", "application/json", Map.of());
        soft.assertThat(r.status())
            .as(route.method() + " " + path + ": " + r.text())
            .isEqualTo(401);
        soft.assertThat(r.header("Content-Type"))
            .as(route.method() + " " + path)
            .startsWith("application/problem+json");
      }
    }
    soft.assertAll();
  }

  @Test
  void every_route_answers_403_to_a_token_one_role_below_the_one_it_needs() {
    Map<Role, ApiClient> clients = new HashMap<>();
    for (Role role : Role.values()) {
      clients.put(role, as("as-" + role.wire(), role.wire()));
    }
    List<String> checked = new ArrayList<>();
    SoftAssertions soft = new SoftAssertions();
    for (RouteTable.Route route : server.node().api().routes()) {
      if (route.role() == null || route.role() == Role.VIEWER) {
        continue;
      }
      Role below = Role.values()[route.role().ordinal() - 1];
      String path = concrete(route.path());
      ApiClient.Response r =
          clients.get(below).send(route.method(), path, "{}", "application/json", Map.of());
      soft.assertThat(r.status())
          .as(below.wire() + " on " + route.method() + " " + path + ": " + r.text())
          .isEqualTo(403);
      checked.add(route.method() + " " + route.path());
    }
    soft.assertAll();
    assertThat(checked)
        .contains(
            "POST /api/actions/{name}/trigger",
            "PUT /api/actions/{name}",
            "POST /api/tokens",
            "GET /api/tokens");
  }

  @Test
  void a_viewer_cannot_trigger_an_operator_cannot_define_and_a_viewer_cannot_manage_tokens() {
    define("", "kind: action\nname: noop\nbuiltin: {noop: {}}\n");
    ApiClient viewer = as("viewer-1", "viewer");
    ApiClient operator = as("operator-1", "operator");

    JsonNode denied = assertProblem(viewer.post("/api/actions/noop/trigger", Map.of()), 403);
    assertThat(denied.get("detail").asText()).contains("operator");
    assertThat(admin.get("/api/runs").json().get("items")).isEmpty();

    assertProblem(
        operator.putYaml(
            "/api/actions/noop", "kind: action\nname: noop\nbuiltin: {log: {message: hi}}\n"),
        403);
    assertThat(admin.get("/api/actions/noop/revisions").json().get("items")).hasSize(1);

    assertProblem(viewer.get("/api/tokens"), 403);
    assertProblem(viewer.post("/api/tokens", Map.of("name", "mine", "role", "admin")), 403);
    assertProblem(operator.post("/api/tokens", Map.of("name", "mine", "role", "admin")), 403);
    assertThat(admin.get("/api/tokens").json().get("items").findValuesAsText("name"))
        .doesNotContain("mine");

    // what the roles do allow
    assertThat(viewer.get("/api/runs").status()).isEqualTo(200);
    assertThat(operator.post("/api/actions/noop/trigger", Map.of()).status()).isEqualTo(202);
  }

  @Test
  void a_project_limited_admin_cannot_mint_see_or_revoke_tokens_beyond_its_projects() {
    ApiClient teamAdmin =
        server.client(issue("team-a-admin", "admin", List.of("team-a")).get("token").asText());

    // a token for a project that is not its own, or for every project, is not its to give
    assertProblem(
        teamAdmin.post(
            "/api/tokens", Map.of("name", "wide", "role", "admin", "projects", List.of("default"))),
        404);
    assertProblem(
        teamAdmin.post(
            "/api/tokens",
            Map.of("name", "wide", "role", "admin", "projects", List.of("team-a", "default"))),
        404);
    ApiClient.Response inherited =
        teamAdmin.post("/api/tokens", Map.of("name", "narrow", "role", "viewer"));
    assertThat(inherited.status()).as(inherited.text()).isEqualTo(201);
    assertThat(inherited.json().get("projects").toString()).isEqualTo("[\"team-a\"]");
    ApiClient narrow = server.client(inherited.json().get("token").asText());
    assertProblem(narrow.get("/api/runs"), 404);
    assertThat(narrow.get("/api/runs?project=team-a").status()).isEqualTo(200);
    assertThat(admin.get("/api/tokens").json().get("items").findValuesAsText("name"))
        .doesNotContain("wide");

    // tokens that reach beyond its projects are not its own: not listed, not revocable
    assertThat(teamAdmin.get("/api/tokens").json().get("items").findValuesAsText("name"))
        .containsExactlyInAnyOrder("team-a-admin", "narrow")
        .doesNotContain("admin");
    assertProblem(teamAdmin.delete("/api/tokens/" + tokenId("admin")), 404);
    assertThat(admin.get("/api/tokens").status()).isEqualTo(200);
    assertThat(teamAdmin.delete("/api/tokens/" + tokenId("narrow")).status()).isEqualTo(204);
  }

  private String tokenId(String name) {
    for (JsonNode t : admin.get("/api/tokens").json().get("items")) {
      if (t.get("name").asText().equals(name)) {
        return t.get("id").asText();
      }
    }
    throw new AssertionError("no token " + name);
  }

  // --- projects ------------------------------------------------------------------------------

  @Test
  void a_token_limited_to_a_project_gets_404_for_what_belongs_to_another() {
    define("", "kind: action\nname: x\nbuiltin: {log: {message: in default}}\n");
    define("?project=team-a", "kind: action\nname: x\nbuiltin: {log: {message: in team-a}}\n");
    String defaultRun = admin.post("/api/actions/x/trigger", Map.of()).json().get("id").asText();
    Runs.awaitTerminal(admin, defaultRun);

    ApiClient teamA =
        server.client(issue("team-a-op", "operator", List.of("team-a")).get("token").asText());
    String own =
        teamA.post("/api/actions/x/trigger?project=team-a", Map.of()).json().get("id").asText();
    Runs.awaitTerminal(admin, own + "?project=team-a");

    // what is not its own: 404, with or without naming its own project
    for (String query : List.of("", "?project=team-a", "?project=default")) {
      assertProblem(teamA.get("/api/runs/" + defaultRun + query), 404);
      assertProblem(teamA.get("/api/runs/" + defaultRun + "/tasks" + query), 404);
      assertProblem(teamA.get("/api/runs/" + defaultRun + "/tasks/x" + query), 404);
      assertProblem(teamA.get("/api/runs/" + defaultRun + "/tasks/x/logs" + query), 404);
      assertProblem(teamA.get("/api/runs/" + defaultRun + "/audit" + query), 404);
      assertProblem(teamA.post("/api/runs/" + defaultRun + "/cancel" + query, Map.of()), 404);
    }
    assertProblem(teamA.get("/api/runs?project=default"), 404);
    assertProblem(teamA.get("/api/runs"), 404);
    assertProblem(teamA.get("/api/actions/x"), 404);
    assertProblem(teamA.get("/api/actions"), 404);
    assertProblem(teamA.get("/api/jobs"), 404);
    assertProblem(teamA.get("/api/audit?project=default"), 404);
    assertProblem(teamA.post("/api/actions/x/trigger", Map.of()), 404);
    assertThat(admin.get("/api/runs?action=x").json().get("items")).hasSize(1);

    // its own
    JsonNode ownRuns = teamA.get("/api/runs?project=team-a").json().get("items");
    assertThat(ownRuns.findValuesAsText("id")).containsExactly(own);
    assertThat(teamA.get("/api/runs/" + own + "?project=team-a").json().get("project").asText())
        .isEqualTo("team-a");
    assertThat(teamA.get("/api/actions/x?project=team-a").status()).isEqualTo(200);
    assertThat(teamA.get("/api/jobs?project=team-a").status()).isEqualTo(200);
    String ownAudit = teamA.get("/api/audit?project=team-a").text();
    assertThat(ownAudit).contains(own).doesNotContain(defaultRun);
  }

  @Test
  void a_project_limited_token_sees_only_its_projects_audit_events_never_the_system_scope() {
    JsonNode global = issue("global-op", "operator", null);
    JsonNode otherTeam = issue("team-b-op", "operator", List.of("team-b"));
    JsonNode bothTeams = issue("teams-op", "operator", List.of("team-a", "team-b"));
    JsonNode viewer = issue("team-a-viewer", "viewer", List.of("team-a"));
    ApiClient teamA = server.client(viewer.get("token").asText());
    assertThat(admin.delete("/api/tokens/" + otherTeam.get("id").asText()).status()).isEqualTo(204);

    List<String> targets = new ArrayList<>();
    for (String query : List.of("?project=team-a", "?project=team-a&type=token.created")) {
      teamA.get("/api/audit" + query).json().get("items").forEach(e -> targets.add(e.toString()));
      for (String line :
          teamA.get("/api/audit" + query + "&format=jsonl").text().lines().toList()) {
        targets.add(line);
      }
    }
    for (JsonNode foreign : List.of(global, otherTeam, bothTeams)) {
      assertThat(targets).noneMatch(e -> e.contains(foreign.get("id").asText()));
    }
    // its own project's token events are its own
    List<JsonNode> own = new ArrayList<>();
    teamA.get("/api/audit?project=team-a&type=token.created").json().get("items").forEach(own::add);
    assertThat(own).extracting(e -> e.get("target").asText()).contains(viewer.get("id").asText());
    assertThat(own).allSatisfy(e -> assertThat(e.get("project").asText()).isEqualTo("team-a"));

    // a token of every project still sees them: token events of global and multi-project tokens
    // are in the system scope, the revocation of a one-project token is in that project
    String all = admin.get("/api/audit?type=token.created&limit=100").text();
    assertThat(all).contains(global.get("id").asText(), bothTeams.get("id").asText());
    String teamB = admin.get("/api/audit?project=team-b&type=token.revoked").text();
    assertThat(teamB).contains(otherTeam.get("id").asText());

    // the whole chain is verified for it, without showing any event
    JsonNode verified = teamA.get("/api/audit/verify").json();
    assertThat(verified.get("ok").asBoolean()).isTrue();
    assertThat(verified.get("events").asLong())
        .isEqualTo(admin.get("/api/audit/verify").json().get("events").asLong());
    assertThat(verified.toString()).doesNotContain(global.get("id").asText());
  }

  @Test
  void definitions_and_runs_with_the_same_name_in_two_projects_are_separate() {
    define("", "kind: action\nname: x\nbuiltin: {log: {message: in default}}\n");
    define("?project=team-a", "kind: action\nname: x\nbuiltin: {log: {message: in team-a}}\n");
    define("?project=team-a", "kind: action\nname: x\nbuiltin: {log: {message: team-a v2}}\n");

    JsonNode inDefault = admin.get("/api/actions/x").json();
    JsonNode inTeamA = admin.get("/api/actions/x?project=team-a").json();
    assertThat(inDefault.get("revision").asInt()).isEqualTo(1);
    assertThat(inTeamA.get("revision").asInt()).isEqualTo(2);
    assertThat(inDefault.get("definitionHash").asText())
        .isNotEqualTo(inTeamA.get("definitionHash").asText());

    String a = admin.post("/api/actions/x/trigger", Map.of()).json().get("id").asText();
    String b =
        admin.post("/api/actions/x/trigger?project=team-a", Map.of()).json().get("id").asText();
    JsonNode runA = Runs.awaitTerminal(admin, a);
    JsonNode runB = admin.get("/api/runs/" + b + "?project=team-a").json();
    assertThat(runA.get("project").asText()).isEqualTo("default");
    assertThat(runA.get("definitionHash").asText())
        .isEqualTo(inDefault.get("definitionHash").asText());
    assertThat(runB.get("project").asText()).isEqualTo("team-a");
    assertThat(runB.get("revision").asInt()).isEqualTo(2);
    assertThat(runB.get("definitionHash").asText())
        .isEqualTo(inTeamA.get("definitionHash").asText());

    assertThat(admin.get("/api/runs").json().get("items").findValuesAsText("id"))
        .containsExactly(a);
    assertThat(admin.get("/api/runs?project=team-a").json().get("items").findValuesAsText("id"))
        .containsExactly(b);
    assertProblem(admin.get("/api/runs/" + b), 404);

    // archiving one leaves the other
    assertThat(admin.delete("/api/actions/x?project=team-a").status()).isEqualTo(204);
    assertThat(admin.post("/api/actions/x/trigger", Map.of()).status()).isEqualTo(202);
    assertProblem(admin.post("/api/actions/x/trigger?project=team-a", Map.of()), 404);
  }
}
