package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.RequestOptions;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signing in and out of the web UI, the Runs page's chips and filters, and its safeguards. */
class WebLoginAndRunsTest {
  static TestServer server;
  static Browser browser;
  static ApiClient admin;
  static String viewerToken;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    browser = new Browser(server.node().url());
    define("ok", "builtin: {noop: {}}");
    define("boom", "builtin: {fail: {cause: 'the ledger is closed', kind: deterministic}}");
    trigger("ok");
    trigger("ok");
    trigger("boom");
    org.awaitility.Awaitility.await()
        .until(() -> admin.get("/api/runs?status=running,pending").json().get("items").isEmpty());
    viewerToken = WebFixtures.token(admin, "vera", "viewer");
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  static void define(String name, String body) {
    WebFixtures.action(admin, name, body);
  }

  static String trigger(String action) {
    return WebFixtures.trigger(admin, action);
  }

  @Test
  void a_page_without_a_session_goes_to_the_login_and_back_after_it() {
    Page page = browser.open();
    page.navigate("/runs?status=failed");
    assertThat(page.url()).contains("/login?next=");
    page.getByLabel("API token").fill(TestServer.ADMIN_TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.waitForURL("**/runs?status=failed");
    assertThat(page.locator("tbody tr").count()).isEqualTo(1);
    page.context().close();
  }

  @Test
  void a_wrong_token_is_refused_on_the_field_and_sign_out_ends_the_session() {
    Page page = browser.open();
    page.navigate("/login");
    page.getByLabel("API token").fill("not-a-token");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.getByLabel("API token").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(page.locator("#token-error").textContent()).contains("unknown");
    Browser.screenshot(page, "login-refused");
    Browser.accessible(page);

    page.getByLabel("API token").fill(TestServer.ADMIN_TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.waitForURL("**/runs");
    var cookie =
        page.context().cookies().stream()
            .filter(c -> c.name.equals("runledger_session"))
            .findFirst()
            .orElseThrow();
    assertThat(cookie.httpOnly).isTrue();
    assertThat(cookie.sameSite).hasToString("STRICT");
    assertThat(cookie.value).doesNotContain(TestServer.ADMIN_TOKEN);

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    page.waitForURL("**/login");
    page.navigate("/runs");
    assertThat(page.url()).contains("/login");
    page.context().close();
  }

  @Test
  void each_chip_shows_its_runs_and_is_highlighted() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    assertThat(page.locator("tbody tr").count()).isEqualTo(3);
    Browser.screenshot(page, "runs-all");
    Browser.accessible(page);
    Map<String, Integer> expected =
        Map.of(
            "completed", 2,
            "failed", 1,
            "running", 0,
            "pending", 0,
            "cancelled", 0,
            "completed-with-failures", 0);
    expected.forEach(
        (status, n) -> {
          page.locator("nav.chips")
              .getByText(
                  status, new com.microsoft.playwright.Locator.GetByTextOptions().setExact(true))
              .click();
          page.waitForURL("**/runs?status=" + status);
          assertThat(page.locator("nav.chips a[aria-current=page]").textContent())
              .isEqualTo(status);
          assertThat(page.locator("tbody tr").count()).as(status).isEqualTo(n);
          if (n == 0) {
            assertThat(page.locator(".empty").textContent()).contains("No runs match");
          } else {
            page.locator("tbody tr td:first-child .badge")
                .all()
                .forEach(b -> assertThat(b.textContent()).isEqualTo(status));
          }
        });
    page.locator("nav.chips")
        .getByText("failed", new com.microsoft.playwright.Locator.GetByTextOptions().setExact(true))
        .click();
    Browser.screenshot(page, "runs-failed");
    page.locator("nav.chips").getByText("All").click();
    assertThat(page.locator("tbody tr").count()).isEqualTo(3);
    page.context().close();
  }

  @Test
  void a_date_range_filters_and_stays_in_the_url() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    page.locator("details.filters summary").click();
    page.getByLabel("From").fill(today.plusDays(1).toString());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
    assertThat(page.url()).contains("since=" + today.plusDays(1));
    assertThat(page.locator("tbody tr").count()).isZero();
    assertThat(page.locator(".empty").textContent()).contains("No runs match");
    page.getByLabel("From").fill(today.toString());
    page.getByLabel("To").fill(today.toString());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
    assertThat(page.url()).contains("since=" + today).contains("until=" + today);
    assertThat(page.locator("tbody tr").count()).isEqualTo(3);
    Browser.screenshot(page, "runs-date-range");
    // the view is a link: opened anew, it shows the same
    Page again = page.context().newPage();
    again.navigate(page.url());
    assertThat(again.locator("tbody tr").count()).isEqualTo(3);
    page.context().close();
  }

  @Test
  void pages_carry_a_strict_content_security_policy_and_cannot_be_framed() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    var response = page.navigate("/runs");
    String csp = response.headers().get("content-security-policy");
    assertThat(csp).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'");
    assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    assertThat(response.headers().get("x-frame-options")).isEqualTo("DENY");
    page.context().close();
  }

  @Test
  void a_form_post_without_the_csrf_token_is_refused() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    APIResponse refused =
        page.request()
            .post(
                "/logout",
                RequestOptions.create()
                    .setForm(com.microsoft.playwright.options.FormData.create()));
    assertThat(refused.status()).isEqualTo(403);
    // still signed in
    page.navigate("/runs");
    assertThat(page.url()).endsWith("/runs");
    page.context().close();
  }

  @Test
  void what_a_url_carries_is_shown_as_text_never_run() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.onDialog(
        d -> {
          throw new AssertionError("a script ran: " + d.message());
        });
    page.navigate(
        "/runs?workflow=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&label=%3Cscript%3Ealert(2)%3C/script%3E:x");
    assertThat(page.getByLabel("Workflow").inputValue()).isEqualTo("<img src=x onerror=alert(1)>");
    assertThat(page.locator("img[src=x]").count()).isZero();
    page.context().close();
  }

  @Test
  void a_viewer_signs_in_and_sees_the_runs() {
    Page page = browser.signedIn(viewerToken);
    assertThat(page.locator(".who .role").textContent()).isEqualTo("viewer");
    assertThat(page.locator("tbody tr").count()).isEqualTo(3);
    page.context().close();
  }
}
