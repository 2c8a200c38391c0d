package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.Map;

/** A web UI test class's server, browser and admin client, with the set-up they share. */
record WebFixture(TestServer server, Browser browser, ApiClient admin) implements AutoCloseable {
  static WebFixture start() {
    TestServer server = TestServer.start(StoreKind.SQLITE);
    return new WebFixture(server, new Browser(server.node().url()), server.admin());
  }

  /** Saves a definition ({@code body} is the YAML after its kind and name) through the API. */
  void put(String kind, String name, String body) {
    ApiClient.Response r =
        admin.putYaml(
            "/api/" + kind + "s/" + name, "kind: " + kind + "\nname: " + name + "\n" + body);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  /** A new API token's secret. */
  String token(String name, String role) {
    return admin
        .post("/api/tokens", Map.of("name", name, "role", role))
        .json()
        .get("token")
        .asText();
  }

  @Override
  public void close() {
    browser.close();
    server.close();
  }
}
