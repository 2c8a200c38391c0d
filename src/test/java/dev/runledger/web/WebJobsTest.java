package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Jobs page: the queue's running jobs with their progress, live, and its empty state. */
class WebJobsTest {
  static TestServer server;
  static Browser browser;
  static ApiClient admin;
  static String viewerToken;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    browser = new Browser(server.node().url());
    WebFixtures.action(
        admin,
        "copy-ledgers",
        """
        command:
          run: [bash, -c, 'echo "::progress 40 copying ledgers of <b>branch</b> 7"; sleep 60']\
        """);
    viewerToken = WebFixtures.token(admin, "vera", "viewer");
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  @Test
  void a_running_job_shows_its_progress_live_and_leaves_when_its_run_ends() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/jobs");
    assertThat(page.locator(".empty").textContent()).contains("The queue is empty");
    Browser.screenshot(page, "jobs-empty");
    Browser.accessible(page);

    // triggered after the page loaded: the job arrives over the page's live stream
    String runId = WebFixtures.trigger(admin, "copy-ledgers");
    Locator bar = page.locator("tr[data-job] progress");
    bar.waitFor(new Locator.WaitForOptions().setTimeout(20_000));
    page.waitForCondition(
        () -> "40".equals(bar.getAttribute("value")),
        new Page.WaitForConditionOptions().setTimeout(20_000));
    Locator row = page.locator("tr[data-job]");
    assertThat(bar.getAttribute("max")).isEqualTo("100");
    assertThat(row.locator(".progress-percent").textContent()).isEqualTo("40 %");
    // the message is text, never markup
    assertThat(row.locator(".progress-message").textContent())
        .isEqualTo("copying ledgers of <b>branch</b> 7");
    assertThat(row.locator(".progress-message b").count()).isZero();
    assertThat(row.locator("a.run-link").getAttribute("href"))
        .isEqualTo("/runs/" + runId + "/tasks/copy-ledgers");
    assertThat(row.locator("td").nth(2).textContent().strip()).isNotEmpty();
    assertThat(row.locator("time").textContent()).endsWith("s ago");
    assertThat(row.locator("td").nth(4).textContent().strip()).isEqualTo("1");
    assertThat(page.locator(".stat").first().textContent()).contains("1").contains("running");
    assertThat(page.locator("[data-live]").getAttribute("data-live-updated")).isNotNull();
    Browser.screenshot(page, "jobs-running");
    Browser.accessible(page);

    assertThat(admin.post("/api/runs/" + runId + "/abort", Map.of("reason", "test over")).status())
        .isIn(200, 202);
    Runs.awaitTerminal(admin, runId);
    page.locator(".empty")
        .waitFor(
            new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE).setTimeout(20_000));
    assertThat(page.locator("tr[data-job]").count()).isZero();
    page.context().close();
  }

  @Test
  void a_viewer_sees_the_jobs_page() {
    Page page = browser.signedIn(viewerToken);
    page.navigate("/jobs");
    assertThat(page.locator("h1").textContent()).isEqualTo("Jobs");
    assertThat(page.locator("nav.nav a[aria-current=page]").textContent()).isEqualTo("Jobs");
    Browser.screenshot(page, "jobs-viewer");
    Browser.accessible(page);
    page.context().close();
  }
}
