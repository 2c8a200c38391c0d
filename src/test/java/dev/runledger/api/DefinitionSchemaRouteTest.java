package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code GET /api/schemas/definition.json} serves the repository's schema, without a token. */
class DefinitionSchemaRouteTest {
  @Test
  void the_definition_schema_is_served_publicly_as_the_repository_ships_it() throws Exception {
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient.Response r = server.client(null).get("/api/schemas/definition.json");

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("application/schema+json");
      JsonNode served = Json.MAPPER.readTree(r.text());
      assertThat(served)
          .isEqualTo(Json.MAPPER.readTree(Files.readString(Path.of("schemas/definition.json"))));
      assertThat(served.path("$id").asText())
          .isEqualTo("https://runledger.dev/schemas/definition.json");
    }
  }
}
