package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run and task pages: live status and logs, the actions a role allows (with confirmation),
 * evidence with downloads, the step graph and timeline, and task output rendered inert.
 */
class WebRunPagesTest {
  static TestServer server;
  static Browser browser;
  static ApiClient admin;
  static String viewerToken;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    browser = new Browser(server.node().url());
    define(
        "actions",
        "slow",
        """
        command:
          script: |
            for i in $(seq 1 8); do echo "tick $i"; sleep 0.7; done
        """);
    define(
        "actions",
        "evil",
        """
        command:
          script: |
            echo '<script>window.pwned = 1</script>'
            echo '<img src=x onerror="window.pwned = 2">'
            printf '\\033[31mred alert\\033[0m and plain\\n'
            printf 'abc\\342\\200\\256fed\\n'
            echo '<a href="javascript:window.pwned=3">click</a>'
            echo 'to stderr' >&2
            echo 'the ledger balances' > report.txt
          outputs: {files: [report.txt]}
        """);
    define("actions", "wait", "builtin: {sleep: {for: 1h}}\n");
    define(
        "actions",
        "boom",
        "builtin: {fail: {cause: 'the ledger is closed', kind: deterministic}}\n");
    define("actions", "ok", "builtin: {noop: {}}\n");
    define(
        "workflows",
        "month-end",
        """
        inputs:
          type: object
          properties:
            branches: {type: array, default: [oslo, bergen, tromso]}
        steps:
          - {id: open, uses: ok}
          - {id: each, uses: ok, needs: [open], forEach: "${{ inputs.branches }}", subjectKey: "${{ item }}"}
          - {id: close, uses: ok, needs: [each]}
        """);
    viewerToken = WebFixtures.token(admin, "vera", "viewer");
  }

  @AfterAll
  static void stop() {
    browser.close();
    server.close();
  }

  static void define(String kind, String name, String body) {
    WebFixtures.define(admin, kind.equals("actions") ? "action" : "workflow", name, body);
  }

  static String trigger(String path) {
    String[] kindAndName = path.split("/", 2);
    return WebFixtures.trigger(
        admin, kindAndName[0].equals("actions") ? "action" : "workflow", kindAndName[1]);
  }

  static JsonNode run(String id) {
    return admin.get("/api/runs/" + id).json();
  }

  static void awaitStatus(String id, String... statuses) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> List.of(statuses).contains(run(id).get("status").asText()));
  }

  @Test
  void a_run_finishes_on_the_page_without_a_reload() {
    String id = trigger("actions/slow");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/runs/" + id);
    page.evaluate("() => { window.stillHere = true; }");
    assertThat(page.locator("[data-slot=status] .badge").textContent()).isIn("pending", "running");
    page.locator("[data-slot=status] .badge.status-completed")
        .waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(30_000));
    assertThat(page.evaluate("() => window.stillHere === true")).isEqualTo(true);
    // what ending brings: Rerun instead of Cancel, without a reload either
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Rerun"))
        .waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(5_000));
    assertThat(
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel")).count())
        .isZero();
    Browser.screenshot(page, "run-completed-live");
    Browser.accessible(page);
    page.context().close();
  }

  @Test
  void an_operator_cancels_a_run_after_confirming_with_a_reason() {
    String id = trigger("actions/wait");
    awaitStatus(id, "running");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/runs/" + id);
    // the first live update has replaced the buttons: a dialog opened now stays open
    page.waitForCondition(() -> page.locator("[data-live-updated]").count() > 0);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel").setExact(true))
        .click();
    page.locator("#dlg-cancel").waitFor();
    assertThat(page.locator("#dlg-cancel").isVisible()).isTrue();
    Browser.screenshot(page, "run-cancel-dialog");
    page.getByLabel("Reason (recorded in the audit trail)").first().fill("closing the books early");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Confirm cancel")).click();
    page.waitForURL("**/runs/" + id + "?done=cancel");
    assertThat(page.locator(".notice").first().textContent()).contains("Cancel requested");
    JsonNode cancel = run(id).get("cancel");
    assertThat(cancel.get("reason").asText()).isEqualTo("closing the books early");
    page.context().close();
  }

  @Test
  void a_deterministic_failure_says_why_retry_will_not_help_and_offers_it_only_as_force() {
    String id = trigger("actions/boom");
    awaitStatus(id, "failed");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/runs/" + id);
    assertThat(page.locator(".failure").first().textContent()).contains("the ledger is closed");
    assertThat(page.locator(".retry-why").textContent()).contains("failed deterministically");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Retry failed (force)"))
        .click();
    Browser.screenshot(page, "run-retry-force");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Retry anyway (force)"))
        .click();
    page.waitForURL("**/runs/" + id + "?done=retry");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin
                        .get("/api/runs/" + id + "/tasks")
                        .json()
                        .get("items")
                        .get(0)
                        .get("attempts")
                        .size()
                    == 2);
    page.context().close();
  }

  @Test
  void a_viewer_sees_no_action_buttons_and_a_post_from_one_is_refused() {
    String id = trigger("actions/wait");
    awaitStatus(id, "running");
    Page page = browser.signedIn(viewerToken);
    page.navigate("/runs/" + id);
    assertThat(page.locator(".page-head button").count()).isZero();
    assertThat(page.locator("dialog").count()).isZero();
    String csrf = page.locator("#main").getAttribute("data-csrf");
    APIResponse refused =
        page.request()
            .post(
                "/runs/" + id + "/cancel",
                RequestOptions.create().setForm(FormData.create().set("_csrf", csrf)));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(run(id).get("status").asText()).isEqualTo("running");
    Browser.screenshot(page, "run-as-viewer");
    admin.post("/api/runs/" + id + "/cancel", Map.of("abort", true));
    page.context().close();
  }

  @Test
  void task_output_renders_inert_with_colours_and_its_file_downloads_with_its_hash()
      throws Exception {
    String id = trigger("actions/evil");
    awaitStatus(id, "completed");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.onDialog(
        d -> {
          throw new AssertionError("a script ran: " + d.message());
        });
    page.navigate("/runs/" + id + "/tasks/evil");
    String log = page.locator(".log").textContent();
    assertThat(log).contains("<script>window.pwned = 1</script>", "<img src=x onerror=");
    assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
    assertThat(page.locator(".log img, .log script, .log a").count()).isZero();
    assertThat(page.locator(".log .ansi-fg-1").textContent()).isEqualTo("red alert");
    assertThat(log).doesNotContain("\u202e").doesNotContain("\u001b");
    assertThat(page.locator(".log .line.stderr").textContent()).contains("to stderr");
    Browser.screenshot(page, "task-inert-output");
    Browser.accessible(page);

    page.navigate("/runs/" + id + "?tab=evidence");
    String shown = page.locator("table.artifacts td.hash").first().textContent();
    Download download =
        page.waitForDownload(() -> page.locator("table.artifacts a[download]").first().click());
    byte[] bytes = Files.readAllBytes(download.path());
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(new String(bytes)).isEqualTo("the ledger balances\n");
    assertThat(shown).isEqualTo("sha256:" + sha);
    Browser.screenshot(page, "run-evidence");
    Browser.accessible(page);
    page.context().close();
  }

  @Test
  void the_log_of_a_running_task_grows_on_the_page() {
    String id = trigger("actions/slow");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> admin.get("/api/runs/" + id + "/tasks/slow/logs").text().contains("tick 1"));
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/runs/" + id + "/tasks/slow");
    page.evaluate("() => { window.stillHere = true; }");
    int before = page.locator(".log .line").count();
    assertThat(before).isLessThan(8);
    page.waitForCondition(
        () -> page.locator(".log .line").count() > before,
        new Page.WaitForConditionOptions().setTimeout(15_000));
    assertThat(page.evaluate("() => window.stillHere === true")).isEqualTo(true);
    List<String> numbers = page.locator(".log .line .no").allTextContents();
    for (int i = 0; i < numbers.size(); i++) {
      assertThat(numbers.get(i)).isEqualTo(String.valueOf(i + 1));
    }
    Browser.screenshot(page, "task-live-log");
    awaitStatus(id, "completed");
    page.context().close();
  }

  @Test
  void a_workflow_run_shows_its_graph_its_tasks_by_subject_its_timeline_and_its_audit() {
    String id = trigger("workflows/month-end");
    awaitStatus(id, "completed");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/runs/" + id);
    assertThat(page.locator("svg.graph rect").count()).isEqualTo(3);
    assertThat(page.locator("svg.graph path[marker-end]").count()).isEqualTo(2);
    assertThat(page.locator("table.tasks tbody tr").count()).isEqualTo(3);
    Browser.screenshot(page, "run-workflow");
    Browser.accessible(page);

    page.getByLabel("Subject contains").fill("BERG");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show")).click();
    page.waitForURL("**subject=BERG**");
    assertThat(page.locator("table.tasks tbody tr").allTextContents())
        .singleElement()
        .asString()
        .contains("bergen");
    page.getByLabel("Status").selectOption("failed");
    page.getByLabel("Subject contains").fill("");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show")).click();
    page.waitForURL("**status=failed**");
    assertThat(page.locator("table.tasks tbody tr").count()).isZero();
    assertThat(page.locator("#tasks .empty").textContent()).contains("No task");

    page.navigate("/runs/" + id + "?tab=timeline");
    assertThat(page.locator("svg.graph a rect").count()).isEqualTo(3);
    Browser.screenshot(page, "run-timeline");
    Browser.accessible(page);
    page.navigate("/runs/" + id + "?tab=audit");
    assertThat(page.locator("table.audit tbody tr").count()).isGreaterThan(3);
    assertThat(page.locator("table.audit").textContent()).contains("run.status-changed");
    Browser.screenshot(page, "run-audit");
    page.context().close();
  }

  @Test
  void a_task_page_with_many_lines_shows_one_page_and_moves_through_them() {
    define(
        "actions",
        "chatty",
        """
        command:
          script: |
            seq 1 1234
        """);
    String id = trigger("actions/chatty");
    awaitStatus(id, "completed");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/runs/" + id + "/tasks/chatty");
    assertThat(page.locator(".log .line").count()).isEqualTo(TaskView.LOG_PAGE);
    assertThat(page.locator(".log .line .no").last().textContent()).isEqualTo("1234");
    assertThat(page.locator(".log-range").textContent()).contains("735–1,234");
    page.getByText("← Earlier").click();
    assertThat(page.locator(".log .line .no").first().textContent()).isEqualTo("235");
    assertThat(page.locator(".log .line .text").first().textContent()).isEqualTo("235");
    page.getByText("First").click();
    assertThat(page.locator(".log .line .text").first().textContent()).isEqualTo("1");
    page.getByText("Later →").click();
    assertThat(page.locator(".log .line .no").first().textContent()).isEqualTo("501");
    assertThat(page.locator(".log .line .text").first().textContent()).isEqualTo("501");
    Browser.screenshot(page, "task-log-pages");
    page.context().close();
  }
}
