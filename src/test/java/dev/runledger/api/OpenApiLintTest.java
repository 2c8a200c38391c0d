package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.NodeTools;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document passes the linters integrators run on it, pinned in
 * tools/openapi-lint: Redocly's recommended rules and Spectral's {@code spectral:oas} ruleset
 * without an error, and openapi-typescript types the items of every page.
 */
class OpenApiLintTest {
  private static final String DOCUMENT = "openapi.yaml";

  private static NodeTools tools;
  private static JsonNode document;

  @BeforeAll
  static void installToolsAndFetchTheDocument() throws Exception {
    tools = NodeTools.install(Path.of("tools/openapi-lint"), Path.of("target/openapi-lint"));
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient.Response r = server.client(null).get("/api/openapi.yaml");
      assertThat(r.status()).isEqualTo(200);
      Files.writeString(tools.work().resolve(DOCUMENT), r.text());
      document = new ObjectMapper(new YAMLFactory()).readTree(r.text());
    }
  }

  @Test
  void redocly_lint_with_the_recommended_rules_reports_no_error() {
    NodeTools.Result r =
        tools.run("redocly", "lint", "--config", "redocly.yaml", "--format=json", DOCUMENT);
    JsonNode report = Json.read(r.stdout());
    List<String> errors = new ArrayList<>();
    for (JsonNode problem : report.path("problems")) {
      if (problem.path("severity").asText().equals("error")) {
        errors.add(
            problem.path("ruleId").asText()
                + " at "
                + problem.at("/location/0/pointer").asText()
                + ": "
                + problem.path("message").asText());
      }
    }
    assertThat(errors).as("redocly lint errors").isEmpty();
    assertThat(report.at("/totals/errors").asInt()).as(r.stderr()).isZero();
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  @Test
  void spectral_with_the_oas_ruleset_reports_no_error() {
    NodeTools.Result r =
        tools.run("spectral", "lint", "--ruleset", ".spectral.yaml", "--format", "json", DOCUMENT);
    JsonNode results = Json.read(r.stdout().isBlank() ? "[]" : r.stdout());
    List<String> errors = new ArrayList<>();
    for (JsonNode result : results) {
      if (result.path("severity").asInt() == 0) {
        List<String> path = new ArrayList<>();
        result.path("path").forEach(p -> path.add(p.asText()));
        errors.add(
            result.path("code").asText()
                + " at "
                + String.join(".", path)
                + ": "
                + result.path("message").asText());
      }
    }
    assertThat(errors).as("spectral errors").isEmpty();
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
  }

  @Test
  void openapi_typescript_types_the_items_of_every_page() throws Exception {
    NodeTools.Result r = tools.run("openapi-typescript", DOCUMENT, "-o", "api.d.ts");
    assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
    String types = Files.readString(tools.work().resolve("api.d.ts"));
    assertThat(types).doesNotContain("unknown[]");
    List<String> pages = new ArrayList<>();
    document
        .path("components")
        .path("schemas")
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (name.endsWith("Page") && !name.equals("Page")) {
                pages.add(name);
              }
            });
    assertThat(pages).contains("RunPage", "TaskPage", "TaskInRunPage", "AuditEventPage");
    for (String page : pages) {
      String item =
          document
              .at("/components/schemas/" + page + "/allOf/1/properties/items/items/$ref")
              .asText();
      assertThat(item).as(page + " items").startsWith("#/components/schemas/");
      String itemName = item.substring(item.lastIndexOf('/') + 1);
      Pattern typed =
          Pattern.compile(
              Pattern.quote(page)
                  + ": components\\[\"schemas\"]\\[\"Page\"] & \\{\\s*items: components\\[\"schemas\"]\\[\""
                  + Pattern.quote(itemName)
                  + "\"]\\[];");
      assertThat(typed.matcher(types).find())
          .as(page + ".items typed as " + itemName + "[]")
          .isTrue();
    }
  }
}
