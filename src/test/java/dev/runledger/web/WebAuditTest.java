package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Audit page: filters in the URL, the export links, the chain's state, and escaping. */
class WebAuditTest {
  static final String XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";

  static TestServer server;
  static Browser browser;
  static ApiClient admin;
  static String viewerToken;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    browser = new Browser(server.node().url());
    WebFixtures.action(admin, "tick", "builtin: {log: {message: tick}}");
    WebFixtures.action(
        admin, "boom", "builtin: {fail: {cause: '" + XSS + "', kind: deterministic}}");
    ApiClient otto = server.client(WebFixtures.token(admin, "otto", "operator"));
    viewerToken = WebFixtures.token(admin, "vera", "viewer");
    for (String run :
        List.of(
            WebFixtures.trigger(admin, "tick"),
            WebFixtures.trigger(admin, "tick"),
            WebFixtures.trigger(otto, "tick"),
            WebFixtures.trigger(admin, "boom"))) {
      Runs.awaitTerminal(admin, run);
    }
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  private static List<String> types(Page page) {
    return page.locator("table.audit tbody code.event-type").allTextContents();
  }

  private static List<String> actors(Page page) {
    return page.locator("table.audit tbody tr").all().stream()
        .map(r -> r.locator("td").nth(2).textContent().strip())
        .toList();
  }

  @Test
  void filters_by_type_and_actor_narrow_the_rows_and_stay_in_the_url() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/audit");
    int all = page.locator("table.audit tbody tr").count();
    assertThat(all).isGreaterThan(10);

    page.getByLabel("Type").fill("run.created");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
    page.waitForURL("**/audit?type=run.created");
    assertThat(types(page)).hasSize(4).allMatch(t -> t.equals("run.created"));

    page.getByLabel("Actor").fill("otto");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
    page.waitForURL("**/audit?actor=otto&type=run.created");
    assertThat(actors(page)).containsExactly("otto");
    JsonNode api = admin.get("/api/audit?type=run.created&actor=otto").json().get("items");
    assertThat(api).hasSize(1);
    assertThat(page.locator("table.audit tbody tr a.mono").textContent())
        .isEqualTo(api.get(0).get("runId").asText());
    Browser.screenshot(page, "audit-filtered");
    Browser.accessible(page);

    page.getByLabel("Actor").fill("nobody-at-all");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
    assertThat(page.locator(".empty").textContent()).contains("No events match these filters");
    page.context().close();
  }

  @Test
  void the_export_links_download_the_filtered_events_as_the_api_exports_them() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/audit?type=run.created&actor=admin");
    String jsonlHref =
        page.locator("a", new Page.LocatorOptions().setHasText("Export JSONL"))
            .getAttribute("href");
    String csvHref =
        page.locator("a", new Page.LocatorOptions().setHasText("Export CSV")).getAttribute("href");
    assertThat(jsonlHref).isEqualTo("/audit/export?actor=admin&type=run.created&format=jsonl");

    APIResponse jsonl = page.request().get(jsonlHref);
    assertThat(jsonl.status()).isEqualTo(200);
    assertThat(jsonl.headers().get("content-disposition")).contains("attachment");
    List<JsonNode> events = jsonl.text().lines().map(l -> Json.read(l)).toList();
    assertThat(events).hasSize(3);
    assertThat(events).allMatch(e -> e.get("type").asText().equals("run.created"));
    assertThat(events).allMatch(e -> e.get("actor").asText().equals("admin"));
    assertThat(jsonl.text())
        .isEqualTo(admin.get("/api/audit?type=run.created&actor=admin&format=jsonl").text());

    APIResponse csv = page.request().get(csvHref);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.headers().get("content-type")).startsWith("text/csv");
    List<String> lines = csv.text().lines().toList();
    assertThat(lines.get(0)).startsWith("seq,id,at,project,actor,type");
    assertThat(lines).hasSize(4);
    assertThat(lines.subList(1, 4)).allMatch(l -> l.contains(",admin,run.created,"));
    assertThat(csv.text())
        .isEqualTo(admin.get("/api/audit?type=run.created&actor=admin&format=csv").text());

    // the link itself downloads too
    var download =
        page.waitForDownload(
            () -> page.locator("a", new Page.LocatorOptions().setHasText("Export JSONL")).click());
    assertThat(download.suggestedFilename()).isEqualTo("audit.jsonl");
    Browser.screenshot(page, "audit-export");
    page.context().close();
  }

  @Test
  void the_chain_state_says_intact_and_broken_once_a_row_is_changed_in_the_store()
      throws Exception {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/audit");
    JsonNode verify = admin.get("/api/audit/verify").json();
    Locator state = page.locator(".chain-state");
    assertThat(state.textContent()).isEqualTo("Audit chain intact");
    assertThat(page.locator(".chain-hash dd").textContent())
        .isEqualTo(verify.get("headHash").asText());
    assertThat(page.locator(".chain-facts").textContent())
        .contains(String.valueOf(verify.get("events").asLong()));
    Browser.screenshot(page, "audit-intact");
    Browser.accessible(page);

    String url = "jdbc:sqlite:" + server.dataDir().resolve("runledger.db").toAbsolutePath();
    String actor;
    try (Connection c = DriverManager.getConnection(url)) {
      try (ResultSet rs =
          c.createStatement().executeQuery("SELECT actor FROM audit_events WHERE seq = 3")) {
        assertThat(rs.next()).isTrue();
        actor = rs.getString(1);
      }
      c.createStatement().executeUpdate("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3");
      try {
        page.reload();
        assertThat(state.textContent()).isEqualTo("Audit chain broken at position 3");
        assertThat(page.locator(".chain[role=alert]").count()).isEqualTo(1);
        Browser.screenshot(page, "audit-broken");
        Browser.accessible(page);
      } finally {
        try (PreparedStatement restore =
            c.prepareStatement("UPDATE audit_events SET actor = ? WHERE seq = 3")) {
          restore.setString(1, actor);
          restore.executeUpdate();
        }
      }
    }
    page.reload();
    assertThat(state.textContent()).isEqualTo("Audit chain intact");
    page.context().close();
  }

  @Test
  void a_failure_cause_in_the_details_is_shown_as_text_never_run() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.onDialog(
        d -> {
          throw new AssertionError("a script ran: " + d.message());
        });
    page.navigate("/audit?type=task.status-changed");
    List<String> details = page.locator("code.details-json").allTextContents();
    page.locator("details.details-more summary").first().click();
    assertThat(details).anyMatch(d -> d.contains(XSS));
    assertThat(page.locator("img[src=x]").count()).isZero();
    assertThat(page.locator("table.audit script").count()).isZero();
    Browser.screenshot(page, "audit-escaped");
    page.context().close();
  }

  @Test
  void a_viewer_sees_the_trail_and_exports_it() {
    Page page = browser.signedIn(viewerToken);
    page.navigate("/audit");
    assertThat(page.locator(".chain-state").textContent()).isEqualTo("Audit chain intact");
    assertThat(page.locator("table.audit tbody tr").count()).isGreaterThan(10);
    APIResponse csv = page.request().get("/audit/export?format=csv&type=run.created");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.text().lines().count()).isEqualTo(5);
    assertThat(page.request().get("/audit/export?format=xml").status()).isEqualTo(400);
    Browser.screenshot(page, "audit-viewer");
    Browser.accessible(page);
    page.context().close();
  }
}
