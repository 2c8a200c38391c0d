package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The approvals inbox: the context of each, approve and reject with a comment, the decided. */
class WebApprovalsTest {
  static WebFixture web;
  static Browser browser;
  static ApiClient admin;
  static ApiClient operator;
  static String viewerToken;

  @BeforeAll
  static void start() {
    web = WebFixture.start();
    admin = web.admin();
    browser = web.browser();
    web.put("action", "plan", "builtin: {noop: {}}\n");
    web.put(
        "action",
        "create-repo",
        "description: Creates the repository and grants the owning team write access.\n"
            + "inputs: {type: object, properties: {name: {type: string}, owner: {type: string}}}\n"
            + "builtin: {noop: {}}\n");
    web.put(
        "workflow",
        "new-service",
        """
        description: Plans a service, then creates its repository once approved.
        inputs:
          type: object
          properties:
            name: {type: string, default: payments-api}
            owner: {type: string, default: team-payments}
        steps:
          - id: plan
            uses: plan
          - id: create
            needs: [plan]
            uses: create-repo
            approval: {role: approver, expiresIn: 3d}
            with: {name: "${{ inputs.name }}", owner: "${{ inputs.owner }}"}
        """);
    String operatorToken = web.token("otto", "operator");
    operator = web.server().client(operatorToken);
    viewerToken = web.token("vera", "viewer");
  }

  @AfterAll
  static void stop() {
    web.close();
  }

  /** Starts a run as {@code who} and waits until its gated task awaits approval. */
  static String gatedRun(ApiClient who, String name) {
    ApiClient.Response r =
        who.post("/api/workflows/new-service/trigger", Map.of("parameters", Map.of("name", name)));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String id = r.json().get("id").asText();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> approval(id) != null);
    return id;
  }

  static JsonNode approval(String runId) {
    for (JsonNode a : admin.get("/api/approvals?limit=200").json().get("items")) {
      if (a.get("runId").asText().equals(runId)) {
        return a;
      }
    }
    return null;
  }

  static Locator card(Page page, String runId) {
    return page.locator("li.approval-card", new Page.LocatorOptions().setHasText(runId));
  }

  @Test
  void approving_from_the_inbox_lets_the_task_run() {
    String run = gatedRun(operator, "ledger-api");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/approvals");
    Locator card = card(page, run);
    assertThat(card.textContent())
        .contains(
            "new-service",
            "create",
            "create-repo",
            "otto",
            "in 3 d",
            "Creates the repository and grants the owning team write access.",
            "ledger-api",
            "team-payments");
    assertThat(card.locator("a[href='/runs/" + run + "']").count()).isEqualTo(1);
    Browser.screenshot(page, "approvals-inbox");
    Browser.accessible(page);

    card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve…")).click();
    Locator dialog = page.locator("dialog[open]");
    assertThat(dialog.locator("h2").textContent()).contains("Approve create?");
    dialog.getByLabel("Comment (optional)").fill("looks right");
    Browser.screenshot(page, "approvals-approve-dialog");
    Browser.accessible(page);
    dialog
        .getByRole(
            AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve").setExact(true))
        .click();
    page.waitForURL("**/approvals?done=approved");
    assertThat(page.locator(".notice").textContent()).contains("Approved");
    assertThat(card(page, run).count()).isZero();
    Locator decided =
        page.locator("table.decided tbody tr", new Page.LocatorOptions().setHasText(run));
    assertThat(decided.textContent()).contains("approved", "admin", "looks right");
    Browser.screenshot(page, "approvals-approved");
    Browser.accessible(page);

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> admin.get("/api/runs/" + run).json().get("status").asText().equals("completed"));
    JsonNode a = approval(run);
    assertThat(a.get("state").asText()).isEqualTo("approved");
    assertThat(a.get("decidedBy").asText()).isEqualTo("admin");
    assertThat(a.get("comment").asText()).isEqualTo("looks right");
    page.context().close();
  }

  @Test
  void rejecting_with_a_comment_skips_the_task() {
    String run = gatedRun(operator, "shadow-it");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/approvals");
    card(page, run)
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reject…"))
        .click();
    Locator dialog = page.locator("dialog[open]");
    dialog.getByLabel("Comment (why it is rejected)").fill("we have a repo for this already");
    Browser.screenshot(page, "approvals-reject-dialog");
    dialog
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reject").setExact(true))
        .click();
    page.waitForURL("**/approvals?done=rejected");
    Locator decided =
        page.locator("table.decided tbody tr", new Page.LocatorOptions().setHasText(run));
    assertThat(decided.textContent())
        .contains("rejected", "admin", "we have a repo for this already");
    Browser.screenshot(page, "approvals-rejected");
    Browser.accessible(page);
    JsonNode a = approval(run);
    assertThat(a.get("state").asText()).isEqualTo("rejected");
    assertThat(a.get("comment").asText()).isEqualTo("we have a repo for this already");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> admin.get("/api/runs/" + run).json().get("status").asText().equals("completed"));
    JsonNode task = admin.get("/api/runs/" + run + "/tasks/create").json();
    assertThat(task.get("status").asText()).isEqualTo("skipped");
    assertThat(task.get("skipReason").asText()).isEqualTo("approval-rejected");
    page.context().close();
  }

  @Test
  void decided_approvals_come_a_page_at_a_time() {
    java.util.List<String> runs = new java.util.ArrayList<>();
    for (int i = 0; i < ApprovalsReader.PAGE + 1; i++) {
      ApiClient.Response r =
          operator.post(
              "/api/workflows/new-service/trigger", Map.of("parameters", Map.of("name", "p" + i)));
      assertThat(r.status()).as(r.text()).isEqualTo(202);
      runs.add(r.json().get("id").asText());
    }
    for (String run : runs) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> approval(run) != null);
      ApiClient.Response r =
          admin.post(
              "/api/approvals/" + approval(run).get("id").asText() + "/reject",
              Map.of("comment", "batch " + run));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/approvals");
    Locator rows = page.locator("table.decided tbody tr");
    assertThat(rows.count()).isEqualTo(ApprovalsReader.PAGE);
    java.util.List<String> first = rows.locator("td:nth-child(4)").allTextContents();
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Older decisions →")).click();
    page.waitForURL("**/approvals?cursor=*");
    java.util.List<String> second = rows.locator("td:nth-child(4)").allTextContents();
    assertThat(second).isNotEmpty().doesNotContainAnyElementsOf(first);
    java.util.List<String> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    assertThat(all).containsAll(runs);
    Browser.screenshot(page, "approvals-older");
    Browser.accessible(page);
    page.context().close();
  }

  @Test
  void the_one_who_started_a_run_sees_it_wait_for_someone_else_and_is_refused() {
    String run = gatedRun(admin, "self-made");
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/approvals");
    assertThat(card(page, run).count()).isZero();
    Locator other =
        page.locator(
            "section[aria-labelledby=others-h] tr", new Page.LocatorOptions().setHasText(run));
    assertThat(other.textContent()).contains("you started this run");
    Browser.screenshot(page, "approvals-others");
    Browser.accessible(page);
    // posted anyway, the service refuses it and says why
    String id = approval(run).get("id").asText();
    String csrf = page.locator("main").getAttribute("data-csrf");
    var refused =
        page.request()
            .post(
                "/approvals/" + id + "/approve",
                com.microsoft.playwright.options.RequestOptions.create()
                    .setForm(
                        com.microsoft.playwright.options.FormData.create().set("_csrf", csrf)));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text()).contains("may not approve its tasks");
    assertThat(approval(run).get("state").asText()).isEqualTo("pending");
    page.context().close();
  }

  @Test
  void a_viewer_sees_no_buttons_and_an_empty_project_says_what_comes_there() {
    gatedRun(operator, "for-viewing");
    Page page = browser.signedIn(viewerToken);
    page.navigate("/approvals");
    assertThat(page.locator("button", new Page.LocatorOptions().setHasText("Approve")).count())
        .isZero();
    assertThat(page.locator("section[aria-labelledby=others-h]").textContent())
        .contains("needs the role approver");
    Browser.screenshot(page, "approvals-viewer");
    Browser.accessible(page);
    page.context().close();

    Page adminPage = browser.signedIn(TestServer.ADMIN_TOKEN);
    adminPage.navigate("/approvals?project=quiet");
    assertThat(adminPage.locator(".empty").textContent())
        .contains("Nothing waits for your decision");
    assertThat(adminPage.locator("#decided-h + p").textContent())
        .contains("No approval has been decided yet");
    Browser.screenshot(adminPage, "approvals-empty");
    Browser.accessible(adminPage);
    adminPage.context().close();
  }
}
