package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright, headless, for the web UI's tests: one browser per test
 * class, a fresh context (cookies) per person, a screenshot per step under {@code
 * target/screenshots/}, and axe-core's accessibility check.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final Path SCREENSHOTS = Paths.get("target", "screenshots");

  private final Playwright playwright;
  private final com.microsoft.playwright.Browser browser;
  private final String base;

  Browser(String base) {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(
          "the web UI's tests need Debian's Chromium at /usr/bin/chromium:"
              + " apt-get install -y chromium (.ci/run installs it)");
    }
    this.base = base;
    this.playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    this.browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run")));
  }

  /** A new person's browser (no cookies), 1280 px wide. */
  Page open() {
    return open(1280, 900);
  }

  Page open(int width, int height) {
    BrowserContext context =
        browser.newContext(new NewContextOptions().setBaseURL(base).setViewportSize(width, height));
    context.setDefaultTimeout(15_000);
    return context.newPage();
  }

  /** A new person's browser, signed in with {@code token}, on the Runs page. */
  Page signedIn(String token) {
    Page page = open();
    page.navigate("/login");
    page.getByLabel("API token").fill(token);
    page.getByRole(
            com.microsoft.playwright.options.AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName("Sign in"))
        .click();
    page.waitForURL("**/runs");
    return page;
  }

  static void screenshot(Page page, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  /** Asserts axe-core finds no serious or critical violation on the page as it is. */
  static void accessible(Page page) {
    AxeResults results = new AxeBuilder(page).analyze();
    List<String> bad =
        results.getViolations().stream()
            .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
            .map(Browser::describe)
            .toList();
    assertThat(bad).as("accessibility violations on " + page.url()).isEmpty();
  }

  private static String describe(Rule v) {
    return v.getId()
        + " ("
        + v.getImpact()
        + "): "
        + v.getHelp()
        + " at "
        + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).limit(3).toList();
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
