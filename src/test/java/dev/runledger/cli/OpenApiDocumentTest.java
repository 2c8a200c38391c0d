package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled openapi.yaml describes every route of API.md. */
class OpenApiDocumentTest {
  /** Every route of API.md, by path and its methods. */
  static final Map<String, List<String>> ROUTES =
      Map.ofEntries(
          Map.entry("/api/actions", List.of("get")),
          Map.entry("/api/actions/{name}", List.of("get", "put", "delete")),
          Map.entry("/api/actions/{name}/dry-run", List.of("post")),
          Map.entry("/api/actions/{name}/revisions", List.of("get")),
          Map.entry("/api/actions/{name}/revisions/{revision}", List.of("get")),
          Map.entry("/api/workflows", List.of("get")),
          Map.entry("/api/workflows/{name}", List.of("get", "put", "delete")),
          Map.entry("/api/workflows/{name}/dry-run", List.of("post")),
          Map.entry("/api/workflows/{name}/revisions", List.of("get")),
          Map.entry("/api/workflows/{name}/revisions/{revision}", List.of("get")),
          Map.entry("/api/workflows/{name}/trigger", List.of("post")),
          Map.entry("/api/workflows/by-hash/{definitionHash}/trigger", List.of("post")),
          Map.entry("/api/workflows/{name}/schedules/{index}/fire", List.of("post")),
          Map.entry("/api/actions/{name}/trigger", List.of("post")),
          Map.entry("/api/events", List.of("post")),
          Map.entry("/api/workflows/{name}/hook", List.of("post")),
          Map.entry("/hooks/{workflow}/{secret}", List.of("post")),
          Map.entry("/api/runs", List.of("get")),
          Map.entry("/api/runs/{id}", List.of("get")),
          Map.entry("/api/tasks", List.of("get")),
          Map.entry("/api/runs/{id}/tasks", List.of("get")),
          Map.entry("/api/runs/{id}/tasks/{taskName}", List.of("get")),
          Map.entry("/api/runs/{id}/tasks/{taskName}/logs", List.of("get")),
          Map.entry("/api/runs/{id}/files", List.of("get")),
          Map.entry("/api/files/{sha256}", List.of("get")),
          Map.entry("/api/files/{sha256}/lineage", List.of("get")),
          Map.entry("/api/runs/{id}/lineage", List.of("get")),
          Map.entry("/api/runs/{id}/audit", List.of("get")),
          Map.entry("/api/runs/{id}/cancel", List.of("post")),
          Map.entry("/api/runs/{id}/abort", List.of("post")),
          Map.entry("/api/runs/{id}/retry", List.of("post")),
          Map.entry("/api/runs/{id}/rerun", List.of("post")),
          Map.entry("/api/runs/{id}/review", List.of("post")),
          Map.entry("/api/jobs", List.of("get")),
          Map.entry("/api/approvals", List.of("get")),
          Map.entry("/api/approvals/{id}/approve", List.of("post")),
          Map.entry("/api/approvals/{id}/reject", List.of("post")),
          Map.entry("/api/audit", List.of("get")),
          Map.entry("/api/audit/verify", List.of("get")),
          Map.entry("/api/reports/runs", List.of("get")),
          Map.entry("/api/tokens", List.of("get", "post")),
          Map.entry("/api/tokens/{id}", List.of("delete")),
          Map.entry("/api/secrets", List.of("get")),
          Map.entry("/api/secrets/{name}", List.of("put", "delete")),
          Map.entry("/api/health", List.of("get")),
          Map.entry("/api/ready", List.of("get")),
          Map.entry("/api/nodes", List.of("get")),
          Map.entry("/metrics", List.of("get")),
          Map.entry("/api/openapi.yaml", List.of("get")),
          Map.entry("/api/schemas/definition.json", List.of("get")));

  static final List<String> UNAUTHENTICATED =
      List.of(
          "/api/health",
          "/api/ready",
          "/api/openapi.yaml",
          "/api/schemas/definition.json",
          "/hooks/{workflow}/{secret}");

  static JsonNode doc;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).as("openapi.yaml on the classpath").isNotNull();
      doc = Json.YAML.readTree(in);
    }
  }

  @Test
  void is_openapi_3_1_with_bearer_security_by_default() {
    assertThat(doc.path("openapi").asText()).startsWith("3.1.");
    JsonNode scheme = doc.at("/components/securitySchemes/bearerAuth");
    assertThat(scheme.path("type").asText()).isEqualTo("http");
    assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
    assertThat(doc.at("/security/0").has("bearerAuth")).isTrue();
  }

  @Test
  void describes_every_route_of_the_contract_and_no_other() {
    List<String> paths = new ArrayList<>();
    doc.path("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths).containsExactlyInAnyOrderElementsOf(ROUTES.keySet());
    ROUTES.forEach(
        (path, methods) -> {
          for (String method : methods) {
            JsonNode op = doc.path("paths").path(path).path(method);
            assertThat(op.isObject()).as(method + " " + path).isTrue();
            assertThat(op.path("responses").size()).as(method + " " + path).isPositive();
          }
        });
  }

  @Test
  void only_health_openapi_and_hooks_are_unauthenticated() {
    ROUTES.forEach(
        (path, methods) -> {
          for (String method : methods) {
            JsonNode security = doc.path("paths").path(path).path(method).path("security");
            boolean open = security.isArray() && security.isEmpty();
            assertThat(open).as(method + " " + path).isEqualTo(UNAUTHENTICATED.contains(path));
            if (!open) {
              assertThat(doc.path("paths").path(path).path(method).path("responses").has("401"))
                  .as("401 on " + method + " " + path)
                  .isTrue();
            }
          }
        });
  }

  @Test
  void every_path_placeholder_is_a_declared_path_parameter() {
    Pattern placeholder = Pattern.compile("\\{(\\w+)}");
    ROUTES.forEach(
        (path, methods) -> {
          List<String> expected = new ArrayList<>();
          Matcher m = placeholder.matcher(path);
          while (m.find()) {
            expected.add(m.group(1));
          }
          for (String method : methods) {
            List<String> declared = new ArrayList<>();
            List<JsonNode> params = new ArrayList<>();
            doc.path("paths").path(path).path("parameters").forEach(params::add);
            doc.path("paths").path(path).path(method).path("parameters").forEach(params::add);
            for (JsonNode p : params) {
              JsonNode param = resolve(p);
              if (param.path("in").asText().equals("path")) {
                declared.add(param.path("name").asText());
              }
            }
            assertThat(declared)
                .as(method + " " + path)
                .containsExactlyInAnyOrderElementsOf(expected);
          }
        });
  }

  @Test
  void schemas_cover_the_api_objects_and_problems_carry_field_errors() {
    JsonNode schemas = doc.at("/components/schemas");
    for (String name :
        List.of(
            "Run",
            "Task",
            "Attempt",
            "Job",
            "Approval",
            "AuditEvent",
            "Problem",
            "FieldError",
            "Page",
            "RunPage",
            "TaskPage",
            "ApprovalPage",
            "AuditEventPage",
            "JobPage")) {
      assertThat(schemas.has(name)).as(name).isTrue();
    }
    assertThat(schemas.at("/Problem/properties/errors/items/$ref").asText())
        .isEqualTo("#/components/schemas/FieldError");
    assertThat(schemas.at("/FieldError/required").toString()).isEqualTo("[\"field\",\"message\"]");
    assertThat(schemas.at("/RunStatus/enum").toString())
        .isEqualTo(
            "[\"pending\",\"running\",\"completed\",\"completed-with-failures\",\"failed\","
                + "\"cancelled\"]");
    for (String status : List.of("400", "401", "403", "404", "409", "413", "429")) {
      JsonNode used = doc.at("/paths/~1api~1workflows~1{name}~1trigger/post/responses/" + status);
      if (status.equals("409") || used.isMissingNode()) {
        used = doc.at("/paths/~1api~1runs~1{id}~1cancel/post/responses/" + status);
      }
      JsonNode response = resolve(used);
      assertThat(response.at("/content/application~1problem+json/schema/$ref").asText())
          .as(status)
          .isEqualTo("#/components/schemas/Problem");
    }
    assertThat(doc.at("/components/responses/TooManyRequests/headers").has("Retry-After")).isTrue();
  }

  @Test
  void run_filters_and_paging_are_parameters_of_the_run_list() {
    List<String> names = new ArrayList<>();
    doc.at("/paths/~1api~1runs/get/parameters")
        .forEach(p -> names.add(resolve(p).path("name").asText()));
    assertThat(names)
        .contains(
            "project",
            "status",
            "workflow",
            "action",
            "triggeredBy",
            "trigger",
            "since",
            "until",
            "review",
            "label",
            "limit",
            "cursor");
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      String ref = current.get("$ref").asText();
      assertThat(ref).startsWith("#/");
      current = doc.at(ref.substring(1));
      assertThat(current.isMissingNode()).as(ref).isFalse();
    }
    return current;
  }
}
