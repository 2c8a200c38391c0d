package dev.runledger.web;

import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;

/** A web UI test class's server, browser and admin client, with the set-up they share. */
record WebFixture(TestServer server, Browser browser, ApiClient admin) implements AutoCloseable {
  static WebFixture start() {
    TestServer server = TestServer.start(StoreKind.SQLITE);
    return new WebFixture(server, new Browser(server.node().url()), server.admin());
  }

  /** Saves a definition ({@code body} is the YAML after its kind and name) through the API. */
  void put(String kind, String name, String body) {
    WebFixtures.define(admin, kind, name, body);
  }

  /** A new API token's secret. */
  String token(String name, String role) {
    return WebFixtures.token(admin, name, role);
  }

  @Override
  public void close() {
    browser.close();
    server.close();
  }
}
