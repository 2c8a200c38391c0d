package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.runledger.model.Role;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pages on a phone-sized window (nothing wider than the window but a table's own scroller), by
 * keyboard alone, and the trigger rate limit as a person meets it on the Run form: a message saying
 * when to try again.
 */
class WebNarrowAndLimitsTest {
  static TestServer server;
  static Browser browser;
  static ApiClient admin;
  static String operatorToken;
  static String run;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            StoreKind.SQLITE, c -> c.with(b -> b.triggerRatesByRole = Map.of(Role.OPERATOR, 1)));
    admin = server.admin();
    browser = new Browser(server.node().url());
    WebFixtures.define(
        admin,
        "action",
        "greet",
        "description: Says hello to someone by name, at length, so the text wraps on a phone.\n"
            + "inputs:\n  type: object\n  properties:\n    who: {type: string, default: world}\n"
            + "builtin: {noop: {}}\n");
    WebFixtures.define(
        admin,
        "workflow",
        "greetings",
        "description: Greets twice.\nsteps:\n  - id: first\n    uses: greet\n"
            + "  - id: second\n    needs: [first]\n    uses: greet\n");
    run = WebFixtures.trigger(admin, "workflow", "greetings");
    operatorToken = WebFixtures.token(admin, "otto", "operator");
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  @Test
  void every_page_fits_a_narrow_window() {
    Page page = browser.open(390, 844);
    page.navigate("/login");
    page.getByLabel("API token").fill(TestServer.ADMIN_TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.waitForURL("**/runs");
    List<String> pages =
        List.of(
            "/runs",
            "/runs/" + run,
            "/runs/" + run + "/tasks/first",
            "/workflows",
            "/workflows/greetings",
            "/actions/greet",
            "/approvals",
            "/jobs",
            "/audit",
            "/reports",
            "/reports/brief");
    for (String path : pages) {
      page.navigate(path);
      Object overflow =
          page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
      Browser.screenshot(page, "narrow" + path.replace(run, "id").replaceAll("[^a-z0-9]+", "-"));
      assertThat(((Number) overflow).intValue())
          .as("%s is wider than a 390 px window", path)
          .isLessThanOrEqualTo(0);
      Browser.accessible(page);
    }
    page.context().close();
  }

  /** Presses Tab until the focused element matches {@code selector}; fails after 60 presses. */
  static void tabTo(Page page, String selector) {
    for (int i = 0; i < 60; i++) {
      page.keyboard().press("Tab");
      if ((Boolean) page.evaluate("s => document.activeElement.matches(s)", selector)) {
        return;
      }
    }
    throw new AssertionError("Tab never reached " + selector + " on " + page.url());
  }

  @Test
  void a_person_signs_in_reaches_a_run_and_opens_and_closes_a_dialog_by_keyboard_alone() {
    Page page = browser.open();
    page.navigate("/login");
    // the token field has the focus when the page opens
    page.keyboard().type(TestServer.ADMIN_TOKEN);
    page.keyboard().press("Enter");
    page.waitForURL("**/runs");
    page.keyboard().press("Tab");
    assertThat(page.evaluate("() => document.activeElement.textContent"))
        .isEqualTo("Skip to content");
    tabTo(page, "a[href='/runs/" + run + "']");
    page.keyboard().press("Enter");
    page.waitForURL("**/runs/" + run);
    tabTo(page, "button[data-opens='dlg-rerun']");
    page.keyboard().press("Enter");
    Locator dialog = page.locator("#dlg-rerun");
    assertThat(dialog.isVisible()).isTrue();
    assertThat(
            page.evaluate(
                "() => document.getElementById('dlg-rerun').contains(document.activeElement)"))
        .as("the focus moves into the open dialog")
        .isEqualTo(true);
    Browser.screenshot(page, "keyboard-rerun-dialog");
    page.keyboard().press("Escape");
    assertThat(dialog.isVisible()).isFalse();
    page.context().close();
  }

  @Test
  void a_trigger_over_the_rate_limit_says_when_to_try_again_and_starts_nothing() {
    Page page = browser.signedIn(operatorToken);
    page.navigate("/actions/greet");
    Response first = submit(page);
    assertThat(first.status()).isEqualTo(303);
    page.waitForURL("**/runs/run_*");
    int before = admin.get("/api/runs?limit=200").json().get("items").size();

    page.navigate("/actions/greet");
    Response second = submit(page);
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.headers().get("retry-after")).matches("[1-9][0-9]*");
    assertThat(page.locator("main").textContent())
        .contains("Too many triggers", "Try again in " + second.headers().get("retry-after"));
    assertThat(admin.get("/api/runs?limit=200").json().get("items").size()).isEqualTo(before);
    Browser.screenshot(page, "catalog-rate-limited");
    Browser.accessible(page);
    page.context().close();
  }

  static Response submit(Page page) {
    return page.waitForResponse(
        r -> r.request().method().equals("POST") && r.url().matches(".*/run(\\?.*)?"),
        () ->
            page.locator("form.run-form")
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start run"))
                .click());
  }
}
