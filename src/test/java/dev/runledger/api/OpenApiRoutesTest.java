package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document describes every route the server registers. */
class OpenApiRoutesTest {
  @Test
  void the_openapi_document_is_public_yaml_3_1_and_documents_every_registered_route()
      throws Exception {
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient.Response r = server.client(null).get("/api/openapi.yaml");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("application/yaml");

      JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(r.text());
      assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
      JsonNode paths = doc.path("paths");
      assertThat(paths.isObject()).isTrue();

      List<RouteTable.Route> routes = server.node().api().routes();
      assertThat(routes).hasSizeGreaterThan(20);
      List<String> undocumented = new ArrayList<>();
      for (RouteTable.Route route : routes) {
        // Javalin's {name} path parameters are written as OpenAPI writes them
        JsonNode operation = paths.path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
        if (!operation.isObject()) {
          undocumented.add(route.method() + " " + route.path());
        }
      }
      assertThat(undocumented).as("routes missing from openapi.yaml").isEmpty();
    }
  }
}
