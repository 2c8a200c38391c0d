package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static dev.runledger.api.ProblemAssertions.errorFields;
import static dev.runledger.api.ProblemAssertions.messages;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/{actions,workflows}/{name}/dry-run}: what a PUT would do, with nothing saved;
 * each test in a project of its own.
 */
class DefinitionDryRunTest {
  private static TestServer server;
  private static ApiClient admin;
  private static ApiClient viewer;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    JsonNode token = admin.post("/api/tokens", Map.of("name", "reader", "role", "viewer")).json();
    viewer = server.client(token.path("token").asText());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ApiClient.Response dryRun(
      ApiClient client, String kind, String name, String project, String yaml) {
    return client.postRaw(
        "/api/" + kind + "s/" + name + "/dry-run?project=" + project, yaml, "application/yaml");
  }

  private static int definitionEvents() {
    return admin.get("/api/audit?limit=500&type=definition.revised").json().path("items").size();
  }

  @Test
  void a_viewer_learns_created_revised_or_unchanged_and_nothing_is_saved() {
    String yaml = "kind: action\nname: hello\nbuiltin: {log: {message: hi}}\n";
    int events = definitionEvents();

    JsonNode created = dryRun(viewer, "action", "hello", "p1", yaml).json();
    assertThat(created.path("change").asText()).isEqualTo("created");
    assertThat(created.path("revision").asInt()).isEqualTo(1);
    assertThat(created.path("latest").isNull()).isTrue();
    assertThat(created.path("project").asText()).isEqualTo("p1");
    assertThat(created.path("definition").path("project").asText()).isEqualTo("p1");
    assertThat(admin.get("/api/actions/hello?project=p1").status()).isEqualTo(404);
    assertThat(definitionEvents()).isEqualTo(events);

    JsonNode put = admin.putYaml("/api/actions/hello?project=p1", yaml).json();
    assertThat(put.path("definitionHash").asText())
        .isEqualTo(created.path("definitionHash").asText());

    JsonNode unchanged = dryRun(viewer, "action", "hello", "p1", yaml).json();
    assertThat(unchanged.path("change").asText()).isEqualTo("unchanged");
    assertThat(unchanged.path("revision").asInt()).isEqualTo(1);

    events = definitionEvents();
    JsonNode revised = dryRun(viewer, "action", "hello", "p1", yaml.replace("hi", "hello")).json();
    assertThat(revised.path("change").asText()).isEqualTo("revised");
    assertThat(revised.path("revision").asInt()).isEqualTo(2);
    assertThat(revised.path("latest").path("revision").asInt()).isEqualTo(1);
    assertThat(revised.path("latest").path("archived").asBoolean()).isFalse();
    assertThat(admin.get("/api/actions/hello?project=p1").json().path("revision").asInt())
        .isEqualTo(1);
    assertThat(definitionEvents()).isEqualTo(events);
  }

  @Test
  void the_same_content_as_an_archived_definition_is_a_revision_that_revives_it() {
    String yaml = "kind: action\nname: old\nbuiltin: {noop: {}}\n";
    admin.putYaml("/api/actions/old?project=p2", yaml);
    assertThat(admin.delete("/api/actions/old?project=p2").status()).isEqualTo(204);

    JsonNode plan = dryRun(admin, "action", "old", "p2", yaml).json();

    assertThat(plan.path("change").asText()).isEqualTo("revised");
    assertThat(plan.path("revision").asInt()).isEqualTo(2);
    assertThat(plan.path("latest").path("archived").asBoolean()).isTrue();
    assertThat(admin.get("/api/actions/old?project=p2").json().path("archived").asBoolean())
        .isTrue();
  }

  @Test
  void an_invalid_definition_or_a_missing_action_is_the_puts_400() {
    JsonNode invalid =
        assertProblem(
            dryRun(viewer, "action", "bad", "p3", "kind: action\nname: bad\nhttp: {url: 1}\n"),
            400);
    assertThat(errorFields(invalid)).contains("http.url");

    JsonNode missing =
        assertProblem(
            dryRun(
                viewer,
                "workflow",
                "flow",
                "p3",
                "kind: workflow\nname: flow\nsteps:\n  - {id: one, uses: nowhere}\n"),
            400);
    assertThat(errorFields(missing)).containsExactly("steps[0].uses");
    assertThat(messages(missing)).contains("no action named nowhere");

    JsonNode misnamed =
        assertProblem(
            dryRun(
                viewer, "action", "other", "p3", "kind: action\nname: bad\nbuiltin: {noop: {}}\n"),
            400);
    assertThat(errorFields(misnamed)).containsExactly("name");
  }

  @Test
  void two_documents_are_refused_as_the_put_refuses_them_and_an_unknown_parameter_too() {
    String two = "kind: action\nname: a\nbuiltin: {noop: {}}\n---\nkind: action\nname: b\n";
    for (ApiClient.Response r :
        new ApiClient.Response[] {
          dryRun(viewer, "action", "a", "p4", two), admin.putYaml("/api/actions/a?project=p4", two)
        }) {
      JsonNode problem = assertProblem(r, 400);
      assertThat(errorFields(problem)).containsExactly("body");
      assertThat(messages(problem))
          .contains("line 5", "more than one YAML document", "one definition per request")
          .doesNotContain("TRAILING")
          .doesNotContain("com.fasterxml");
    }

    JsonNode unknown =
        assertProblem(
            viewer.postRaw(
                "/api/actions/a/dry-run?dryRun=true",
                "kind: action\nname: a\nbuiltin: {noop: {}}\n",
                "application/yaml"),
            400);
    assertThat(errorFields(unknown)).containsExactly("dryRun");
    assertThat(admin.get("/api/actions/a?project=p4").status()).isEqualTo(404);
  }

  @Test
  void what_the_same_apply_saves_counts_as_there_by_name_only() {
    String flow =
        "kind: workflow\nname: flow\nsteps:\n  - {id: one, uses: new-action}\n"
            + "  - {id: two, uses: \"workflow:new-child\"}\n";

    ApiClient.Response accepted =
        viewer.postRaw(
            "/api/workflows/flow/dry-run?project=p5&applying=new-action,workflow:new-child",
            flow,
            "application/yaml");
    assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
    assertThat(accepted.json().path("change").asText()).isEqualTo("created");

    JsonNode onlyOne =
        assertProblem(
            viewer.postRaw(
                "/api/workflows/flow/dry-run?project=p5&applying=new-action",
                flow,
                "application/yaml"),
            400);
    assertThat(errorFields(onlyOne)).containsExactly("steps[1].uses");

    JsonNode pinned =
        assertProblem(
            viewer.postRaw(
                "/api/workflows/flow/dry-run?project=p5&applying=new-action@2",
                flow,
                "application/yaml"),
            400);
    assertThat(errorFields(pinned)).containsExactly("applying");
    assertThat(admin.get("/api/workflows/flow?project=p5").status()).isEqualTo(404);
  }
}
