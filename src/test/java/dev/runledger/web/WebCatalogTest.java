package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog pages: the lists, a definition's page, its revisions and diffs, the Run form. */
class WebCatalogTest {
  static final String INPUTS =
      """
      inputs:
        type: object
        required: [service, replicas]
        properties:
          service: {type: string, pattern: "^[a-z][a-z0-9-]*$", description: "Lower-case service name"}
          replicas: {type: integer, default: 2, minimum: 1, maximum: 10}
          ratio: {type: number, default: 0.5, description: "Share of traffic for the new version"}
          region: {type: string, enum: [eu-north, us-east], default: eu-north}
          dryRun: {type: boolean, default: true}
          tags: {type: array, items: {type: string}, default: [web]}
      """;

  static WebFixture web;
  static Browser browser;
  static ApiClient admin;
  static String viewerToken;

  @BeforeAll
  static void start() {
    web = WebFixture.start();
    admin = web.admin();
    browser = web.browser();
    web.put(
        "action",
        "deploy",
        "description: Rolls a service out to a region.\n" + INPUTS + "builtin: {noop: {}}\n");
    web.put(
        "action",
        "shady",
        "description: \"Says <script>alert('boo')</script> and <img src=x onerror=alert(2)>\"\n"
            + "builtin: {noop: {}}\n");
    web.put("workflow", "release", release("Rolls out a release.", ""));
    web.put(
        "workflow",
        "release",
        release(
            "Rolls out a release, then announces it.",
            "  - id: announce\n    needs: [go]\n    uses: deploy\n"
                + "    with: {service: announcer, replicas: 1}\n"));
    ApiClient.Response r =
        admin.post(
            "/api/workflows/release/trigger", Map.of("parameters", Map.of("service", "seed")));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    viewerToken = web.token("vera", "viewer");
  }

  static String release(String description, String moreSteps) {
    return "description: "
        + description
        + "\n"
        + INPUTS
        + "on:\n  manual: true\n  schedule:\n    - cron: \"0 6 * * MON\"\n      timezone: Europe/Oslo\n"
        + "      parameters: {service: weekly}\n"
        + "steps:\n  - id: go\n    uses: deploy\n"
        + "    with: {service: \"${{ inputs.service }}\", replicas: \"${{ inputs.replicas }}\"}\n"
        + moreSteps;
  }

  @AfterAll
  static void stop() {
    web.close();
  }

  /** Submits the Run form and returns the answer to its post. */
  static Response submit(Page page) {
    return page.waitForResponse(
        r -> r.request().method().equals("POST") && r.url().matches(".*/run(\\?.*)?"),
        () ->
            page.locator("form.run-form")
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Start run"))
                .click());
  }

  static int runCount() {
    return admin.get("/api/runs?limit=200").json().get("items").size();
  }

  @Test
  void the_lists_show_each_definition_with_its_revision_hash_triggers_and_last_run() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/workflows");
    Locator row = page.locator("tbody tr", new Page.LocatorOptions().setHasText("release"));
    assertThat(row.locator("td").nth(1).textContent().trim()).isEqualTo("2");
    String hash = admin.get("/api/workflows/release").json().get("definitionHash").asText();
    assertThat(row.locator("code.hash").getAttribute("title")).isEqualTo(hash);
    assertThat(hash).contains(row.locator("code.hash").textContent());
    assertThat(row.locator(".triggers").textContent())
        .contains("manual", "schedule", "0 6 * * MON Europe/Oslo", "next in");
    assertThat(row.locator(".triggers time").getAttribute("title")).endsWith("UTC");
    Locator last = row.locator(".last-run a");
    assertThat(last.getAttribute("href")).startsWith("/runs/");
    assertThat(last.locator(".badge").count()).isEqualTo(1);
    assertThat(page.locator("nav a[aria-current=page]").textContent()).isEqualTo("Workflows");
    Browser.screenshot(page, "catalog-workflows");
    Browser.accessible(page);

    page.navigate("/actions");
    assertThat(page.locator("tbody tr").count()).isEqualTo(2);
    Locator deploy = page.locator("tbody tr", new Page.LocatorOptions().setHasText("deploy"));
    assertThat(deploy.textContent()).contains("builtin", "Rolls a service out");
    assertThat(deploy.locator(".last-run").textContent()).contains("never run");
    Browser.screenshot(page, "catalog-actions");
    Browser.accessible(page);

    page.navigate("/workflows?project=empty");
    assertThat(page.locator(".empty").textContent())
        .contains("No workflows yet", "runledger apply");
    Browser.screenshot(page, "catalog-empty");
    Browser.accessible(page);
    page.context().close();
  }

  @Test
  void the_run_form_is_made_from_the_inputs_schema() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/workflows/release");
    Locator form = page.locator("form.run-form");
    Locator service = form.getByLabel("service");
    assertThat(service.getAttribute("type")).isEqualTo("text");
    assertThat(service.getAttribute("required")).isNotNull();
    assertThat(page.locator("#" + service.getAttribute("aria-describedby")).textContent())
        .isEqualTo("Lower-case service name");
    Locator replicas = form.getByLabel("replicas");
    assertThat(replicas.getAttribute("type")).isEqualTo("number");
    assertThat(replicas.getAttribute("step")).isEqualTo("1");
    assertThat(replicas.getAttribute("min")).isEqualTo("1");
    assertThat(replicas.inputValue()).isEqualTo("2");
    assertThat(replicas.getAttribute("required")).isNotNull();
    assertThat(form.locator("label[for=" + replicas.getAttribute("id") + "] .required").count())
        .isEqualTo(1);
    Locator ratio = form.getByLabel("ratio");
    assertThat(ratio.getAttribute("step")).isEqualTo("any");
    assertThat(ratio.inputValue()).isEqualTo("0.5");
    assertThat(ratio.getAttribute("required")).isNull();
    Locator region = form.getByLabel("region");
    assertThat(region.evaluate("e => e.tagName")).isEqualTo("SELECT");
    assertThat(region.locator("option").allTextContents()).contains("eu-north", "us-east");
    assertThat(region.inputValue()).isEqualTo("eu-north");
    Locator dryRun = form.getByLabel("dryRun");
    assertThat(dryRun.getAttribute("type")).isEqualTo("checkbox");
    assertThat(dryRun.isChecked()).isTrue();
    Locator tags = form.getByLabel("tags");
    assertThat(tags.evaluate("e => e.tagName")).isEqualTo("TEXTAREA");
    assertThat(tags.inputValue().replaceAll("\\s", "")).isEqualTo("[\"web\"]");
    // the definition's facts around it
    assertThat(page.locator("pre.code").textContent()).contains("name: release", "cron:");
    assertThat(page.locator("table").first().textContent()).contains("one of eu-north, us-east");
    Browser.screenshot(page, "catalog-workflow");
    Browser.accessible(page);
    page.context().close();
  }

  @Test
  void starting_a_run_from_the_form_leads_to_the_run_with_those_parameters() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/workflows/release");
    Locator form = page.locator("form.run-form");
    form.getByLabel("service").fill("payments");
    form.getByLabel("replicas").fill("3");
    form.getByLabel("ratio").fill("0.25");
    form.getByLabel("region").selectOption("us-east");
    form.getByLabel("dryRun").uncheck();
    form.getByLabel("tags").fill("[\"api\", \"blue\"]");
    Browser.screenshot(page, "catalog-run-filled");
    Response posted = submit(page);
    assertThat(posted.status()).isEqualTo(303);
    String location = posted.headers().get("location");
    assertThat(location).matches("/runs/[^/?]+");
    page.waitForURL("**" + location);
    String id = location.substring("/runs/".length());
    JsonNode run = admin.get("/api/runs/" + id).json();
    assertThat(run.get("workflow").asText()).isEqualTo("release");
    assertThat(run.get("triggeredBy").asText()).isEqualTo("admin");
    JsonNode p = run.get("parameters");
    assertThat(p.get("service").asText()).isEqualTo("payments");
    assertThat(p.get("replicas").asInt()).isEqualTo(3);
    assertThat(p.get("replicas").isIntegralNumber()).isTrue();
    assertThat(p.get("ratio").asDouble()).isEqualTo(0.25);
    assertThat(p.get("region").asText()).isEqualTo("us-east");
    assertThat(p.get("dryRun").asBoolean()).isFalse();
    assertThat(p.get("tags").toString()).isEqualTo("[\"api\",\"blue\"]");
    assertThat(run.get("trigger").get("source").asText()).isEqualTo("web");
    page.context().close();
  }

  @Test
  void a_refused_parameter_is_shown_on_its_field_and_nothing_starts() {
    int before = runCount();
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/workflows/release");
    Locator form = page.locator("form.run-form");
    form.getByLabel("service").fill("Not A Name!");
    form.getByLabel("tags").fill("[not json");
    Response posted = submit(page);
    assertThat(posted.status()).isEqualTo(400);
    Locator service = page.locator("form.run-form").getByLabel("service");
    assertThat(service.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(service.inputValue()).isEqualTo("Not A Name!");
    String describedBy = service.getAttribute("aria-describedby");
    assertThat(describedBy).contains("-error");
    assertThat(page.locator("#" + describedBy.split(" ")[1]).textContent()).contains("pattern");
    Locator tags = page.locator("form.run-form").getByLabel("tags");
    assertThat(tags.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(tags.inputValue()).isEqualTo("[not json");
    assertThat(page.locator(".error-summary").textContent())
        .contains("The run was not started", "service", "tags", "is not valid JSON (line 1");
    assertThat(page.locator(".error-summary a").first().getAttribute("href"))
        .isEqualTo("#" + service.getAttribute("id"));
    // the other fields keep what was in them
    assertThat(page.locator("form.run-form").getByLabel("replicas").inputValue()).isEqualTo("2");
    assertThat(page.locator("form.run-form").getByLabel("replicas").getAttribute("aria-invalid"))
        .isNull();
    assertThat(runCount()).isEqualTo(before);
    Browser.screenshot(page, "catalog-run-refused");
    Browser.accessible(page);
    page.context().close();
  }

  @Test
  void two_revisions_compare_as_a_diff_and_each_revision_can_be_viewed() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/workflows/release");
    assertThat(page.locator("h2", new Page.LocatorOptions().setHasText("Revisions")).count())
        .isEqualTo(1);
    page.getByLabel("Compare revision").selectOption("1");
    page.getByLabel("with revision").selectOption("2");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show changes")).click();
    page.waitForURL("**/workflows/release?from=1&to=2");
    Locator added = page.locator("pre.diff .dl.add");
    Locator removed = page.locator("pre.diff .dl.del");
    assertThat(added.allTextContents()).anyMatch(l -> l.contains("id: announce"));
    assertThat(added.allTextContents()).anyMatch(l -> l.contains("then announces it"));
    assertThat(removed.allTextContents())
        .anyMatch(l -> l.contains("description: Rolls out a release."));
    assertThat(page.locator("pre.diff .dl.hunk").count()).isPositive();
    assertThat(page.locator(".diff-count").textContent()).contains("+", "−");
    Browser.screenshot(page, "catalog-diff");
    Browser.accessible(page);

    page.locator("table")
        .nth(1)
        .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("1").setExact(true))
        .click();
    page.waitForURL("**/workflows/release?revision=1");
    assertThat(page.locator(".notice").textContent()).contains("revision 1 of 2");
    assertThat(page.locator("pre.code").textContent()).doesNotContain("announce");
    assertThat(page.locator("form.run-form").count()).isZero();
    assertThat(page.locator(".run-card").textContent()).contains("latest revision (2)");
    Browser.screenshot(page, "catalog-old-revision");
    page.context().close();
  }

  @Test
  void markup_in_a_definition_is_shown_as_text_and_never_runs() {
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.onDialog(
        d -> {
          throw new AssertionError("a script ran: " + d.message());
        });
    page.navigate("/actions/shady");
    assertThat(page.locator(".description").textContent())
        .contains("<script>alert('boo')</script>");
    assertThat(page.locator("pre.code").textContent()).contains("<script>alert('boo')</script>");
    assertThat(page.locator("main script").count()).isZero();
    assertThat(page.locator("main img").count()).isZero();
    page.navigate("/actions");
    assertThat(page.locator("main script").count()).isZero();
    assertThat(page.locator("main img").count()).isZero();
    Browser.screenshot(page, "catalog-inert");
    Browser.accessible(page);
    page.context().close();
  }

  @Test
  void a_project_keeps_its_own_catalog_and_its_runs() {
    ApiClient.Response saved =
        admin.putYaml(
            "/api/actions/tidy?project=ops",
            "kind: action\nname: tidy\ndescription: Tidies the ops area.\n"
                + "inputs: {type: object, properties: {depth: {type: integer, default: 1}}}\n"
                + "builtin: {noop: {}}\n");
    assertThat(saved.status()).as(saved.text()).isEqualTo(201);
    Page page = browser.signedIn(TestServer.ADMIN_TOKEN);
    page.navigate("/actions?project=ops");
    assertThat(page.locator("tbody tr").count()).isEqualTo(1);
    assertThat(page.locator("tbody a.run-link").getAttribute("href"))
        .isEqualTo("/actions/tidy?project=ops");
    page.navigate("/actions/tidy");
    assertThat(page.locator("h1").textContent()).contains("Not found");
    page.navigate("/actions/tidy?project=ops");
    page.locator("form.run-form").getByLabel("depth").fill("4");
    Response posted = submit(page);
    assertThat(posted.status()).isEqualTo(303);
    String location = posted.headers().get("location");
    assertThat(location).matches("/runs/[^/?]+\\?project=ops");
    String id = location.substring("/runs/".length(), location.indexOf('?'));
    JsonNode run = admin.get("/api/runs/" + id + "?project=ops").json();
    assertThat(run.get("project").asText()).isEqualTo("ops");
    assertThat(run.get("parameters").get("depth").asInt()).isEqualTo(4);
    page.context().close();
  }

  @Test
  void a_viewer_sees_no_run_form_and_cannot_post_one() {
    int before = runCount();
    Page page = browser.signedIn(viewerToken);
    page.navigate("/workflows/release");
    assertThat(page.locator("form.run-form").count()).isZero();
    assertThat(page.locator(".run-card").textContent()).contains("needs the operator role");
    Browser.screenshot(page, "catalog-viewer");
    Browser.accessible(page);
    String csrf = page.locator("main").getAttribute("data-csrf");
    APIResponse refused =
        page.request()
            .post(
                "/workflows/release/run",
                RequestOptions.create()
                    .setForm(FormData.create().set("_csrf", csrf).set("in.service", "x")));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.text()).contains("operator");
    assertThat(runCount()).isEqualTo(before);
    page.context().close();
  }
}
