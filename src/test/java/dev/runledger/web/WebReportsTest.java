package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Media;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Reports page, its CSV and its printable brief, against the API's report of the period. */
class WebReportsTest {
  static final String XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";

  static TestServer server;
  static Browser browser;
  static ApiClient admin;
  static String viewerToken;
  static String today;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    browser = new Browser(server.node().url());
    today = LocalDate.now(ZoneOffset.UTC).toString();
    WebFixtures.action(admin, "tick", "builtin: {log: {message: tick}}");
    WebFixtures.action(
        admin, "boom", "builtin: {fail: {cause: '" + XSS + "', kind: deterministic}}");
    ApiClient.Response w =
        admin.putYaml(
            "/api/workflows/kyc-review",
            """
            kind: workflow
            name: kyc-review
            steps:
              - id: list
                uses: tick
              - id: request
                needs: [list]
                uses: tick
                approval: {role: approver}
            """);
    assertThat(w.status()).as(w.text()).isIn(200, 201);
    ApiClient ada = server.client(WebFixtures.token(admin, "ada", "approver"));
    viewerToken = WebFixtures.token(admin, "vera", "viewer");
    decide(ada, "approve", "checked " + XSS);
    decide(ada, "reject", "not applicable");
    for (String run :
        List.of(
            WebFixtures.trigger(admin, "tick"),
            WebFixtures.trigger(admin, "tick"),
            WebFixtures.trigger(admin, "boom"))) {
      Runs.awaitTerminal(admin, run);
    }
  }

  private static void decide(ApiClient approver, String decision, String comment) {
    ApiClient.Response r = admin.post("/api/workflows/kyc-review/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String run = r.json().get("id").asText();
    String approval = Runs.awaitPendingApproval(admin, run);
    ApiClient.Response d =
        approver.post("/api/approvals/" + approval + "/" + decision, Map.of("comment", comment));
    assertThat(d.status()).as(d.text()).isEqualTo(200);
    Runs.awaitTerminal(admin, run);
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  private static JsonNode apiReport() {
    ApiClient.Response r = admin.get("/api/reports/runs?from=" + today + "&to=" + today);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private static String name(JsonNode item) {
    return item.hasNonNull("workflow")
        ? item.get("workflow").asText()
        : item.get("action").asText();
  }

  @Test
  void the_counts_per_workflow_match_the_api_report() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/reports?from=" + today + "&to=" + today);
    JsonNode report = apiReport();
    assertThat(report.get("items")).hasSize(3);
    for (JsonNode item : report.get("items")) {
      String name = name(item);
      Locator runs = page.locator("table[data-table=runs] tr[data-definition='" + name + "']");
      assertThat(runs.locator("[data-count=runs]").textContent())
          .as(name)
          .isEqualTo(item.get("runs").get("total").asText());
      runs.locator("td[data-count]").all().stream()
          .skip(1)
          .forEach(
              cell ->
                  assertThat(cell.textContent())
                      .as(name + " " + cell.getAttribute("data-count"))
                      .isEqualTo(item.get("runs").get(cell.getAttribute("data-count")).asText()));
      Locator tasks = page.locator("table[data-table=tasks] tr[data-definition='" + name + "']");
      assertThat(tasks.locator("[data-count=tasks]").textContent())
          .isEqualTo(item.get("tasks").get("total").asText());
      tasks.locator("td[data-count]").all().stream()
          .skip(1)
          .forEach(
              cell ->
                  assertThat(cell.textContent())
                      .as(name + " " + cell.getAttribute("data-count"))
                      .isEqualTo(item.get("tasks").get(cell.getAttribute("data-count")).asText()));
    }
    JsonNode kyc = null;
    for (JsonNode item : report.get("items")) {
      kyc = name(item).equals("kyc-review") ? item : kyc;
    }
    assertThat(kyc).isNotNull();
    assertThat(kyc.get("runs").get("total").asInt()).isEqualTo(2);
    assertThat(kyc.get("approvalsDecided").get("approved").asInt()).isEqualTo(1);
    // the charts are images with words for a screen reader, drawn by the server
    Locator chart = page.locator("svg.bars[role=img]").first();
    assertThat(chart.getAttribute("aria-label"))
        .startsWith("Runs per definition: ")
        .contains("kyc-review 2 runs (2 completed)")
        .contains("boom 1 runs (1 failed)");
    assertThat(page.locator("svg.bars rect.seg").count()).isGreaterThanOrEqualTo(6);
    Browser.screenshot(page, "reports");
    Browser.accessible(page);
    page.context().close();
  }

  @Test
  void the_presets_are_links_that_set_the_period() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/reports");
    LocalDate now = LocalDate.now(ZoneOffset.UTC);
    assertThat(page.locator("nav.chips a[aria-current=page]").textContent())
        .isEqualTo("This month");
    assertThat(page.getByLabel("From").inputValue()).isEqualTo(now.withDayOfMonth(1).toString());
    page.locator("nav.chips").getByText("Last month").click();
    LocalDate first = now.withDayOfMonth(1).minusMonths(1);
    page.waitForURL("**/reports?from=" + first + "&to=" + now.withDayOfMonth(1).minusDays(1));
    assertThat(page.locator(".empty").textContent()).contains("No runs in this period");
    Browser.screenshot(page, "reports-empty");
    Browser.accessible(page);
    page.locator("nav.chips").getByText("This quarter").click();
    assertThat(page.locator("table[data-table=runs] tbody tr").count()).isEqualTo(3);
    page.navigate("/reports?from=2026-05-02&to=2026-05-01");
    assertThat(page.locator("h1").textContent()).contains("Not valid");
    page.context().close();
  }

  @Test
  void the_csv_link_downloads_the_api_report_csv() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/reports?from=" + today + "&to=" + today);
    String href =
        page.locator("a", new Page.LocatorOptions().setHasText("Download CSV"))
            .getAttribute("href");
    APIResponse csv = page.request().get(href);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.headers().get("content-disposition")).contains("attachment");
    assertThat(csv.text())
        .isEqualTo(
            admin.get("/api/reports/runs?from=" + today + "&to=" + today + "&format=csv").text());
    assertThat(csv.text().lines().toList())
        .anyMatch(l -> l.startsWith("kyc-review,,2,"))
        .anyMatch(l -> l.startsWith("TOTAL,,5,"));
    page.context().close();
  }

  @Test
  void the_brief_holds_the_period_the_definitions_the_counts_and_the_head_hash() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.onDialog(
        d -> {
          throw new AssertionError("a script ran: " + d.message());
        });
    page.navigate("/reports?from=" + today + "&to=" + today);
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open the brief")).click();
    page.waitForURL("**/reports/brief?from=" + today + "&to=" + today);
    JsonNode report = apiReport();
    JsonNode verify = admin.get("/api/audit/verify").json();

    assertThat(page.locator(".brief-meta").textContent())
        .contains(today + " to " + today + " inclusive");
    for (JsonNode item : report.get("items")) {
      Locator row = page.locator(".brief tr[data-definition='" + name(item) + "']");
      assertThat(row.locator("[data-count=runs]").textContent())
          .isEqualTo(item.get("runs").get("total").asText());
      assertThat(row.locator("[data-count=actions]").textContent())
          .isEqualTo(item.get("actionsInvoked").asText());
    }
    JsonNode totals = report.get("totals");
    assertThat(page.locator(".brief-lead").textContent())
        .contains(totals.get("runs").get("total").asText() + " runs")
        .contains(totals.get("actionsInvoked").asText() + " actions invoked")
        .contains("2 approvals were decided (1 approved, 1 rejected)");
    Locator decisions = page.locator("section[aria-labelledby=b-approvals] tbody tr");
    assertThat(decisions.count()).isEqualTo(2);
    assertThat(decisions.first().textContent()).contains("ada").contains("checked " + XSS);
    Locator failures = page.locator("section[aria-labelledby=b-failures] tbody tr");
    assertThat(failures.count()).isEqualTo(1);
    assertThat(failures.locator("td.cause").textContent()).isEqualTo(XSS);
    assertThat(page.locator(".brief img").count()).isZero();
    assertThat(page.locator(".brief script").count()).isZero();
    assertThat(page.locator("[data-head-hash]").textContent())
        .isEqualTo(verify.get("headHash").asText());
    assertThat(page.locator(".brief-chain .chain-state").textContent())
        .contains("Audit chain intact");
    Browser.screenshot(page, "brief");
    Browser.accessible(page);

    // printed, the brief stands alone: no navigation, no buttons
    page.emulateMedia(new Page.EmulateMediaOptions().setMedia(Media.PRINT));
    assertThat(page.locator("header.top").isVisible()).isFalse();
    assertThat(page.locator(".brief-tools").isVisible()).isFalse();
    assertThat(page.locator(".brief h1").isVisible()).isTrue();
    Browser.screenshot(page, "brief-print");
    page.pdf(
        new Page.PdfOptions().setPath(Browser.SCREENSHOTS.resolve("brief.pdf")).setFormat("A4"));
    page.context().close();
  }

  @Test
  void a_viewer_sees_the_report_and_the_brief() {
    Page page = browser.signedIn(viewerToken);
    page.navigate("/reports?from=" + today + "&to=" + today);
    assertThat(page.locator("table[data-table=runs] tbody tr").count()).isEqualTo(3);
    page.navigate("/reports/brief?from=" + today + "&to=" + today);
    assertThat(page.locator(".brief h1").textContent()).startsWith("Automation activity");
    Browser.screenshot(page, "brief-viewer");
    Browser.accessible(page);
    page.context().close();
  }
}
