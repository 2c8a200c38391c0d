package dev.runledger.web;

import dev.runledger.api.ApiContext;
import dev.runledger.api.FileDownloads;
import dev.runledger.api.TriggerRateLimiter;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.Map;

/**
 * {@code /runs/{id}}: the run page and its live parts, and what a person does with a run: cancel,
 * abort, retry failed tasks, rerun, review. Each action goes through the same service as the API
 * and comes back to the run with a notice.
 */
final class RunPages {
  private static final Map<String, String> DONE =
      Map.of(
          "cancel", "Cancel requested: running tasks finish, nothing new starts.",
          "abort", "Abort requested: running tasks are stopped.",
          "retry", "The failed tasks are queued again.",
          "review", "Your review is recorded.");

  private final ApiContext api;
  private final Templates templates;
  private final LivePages live;
  private final TriggerRateLimiter limiter;
  private final RunView view;

  RunPages(ApiContext api, Templates templates, LivePages live, TriggerRateLimiter limiter) {
    this.api = api;
    this.templates = templates;
    this.live = live;
    this.limiter = limiter;
    this.view = new RunView(api);
  }

  void register(PageRoutes pages) {
    pages.page("/runs/{id}", Role.VIEWER, this::show);
    pages.page("/live/runs/{id}", Role.VIEWER, this::stream);
    pages.page("/runs/{id}/files/{sha256}", Role.VIEWER, this::download);
    pages.action("/runs/{id}/cancel", Role.OPERATOR, (ctx, s) -> cancel(ctx, s, false));
    pages.action("/runs/{id}/abort", Role.OPERATOR, (ctx, s) -> cancel(ctx, s, true));
    pages.action("/runs/{id}/retry", Role.OPERATOR, this::retry);
    pages.action("/runs/{id}/rerun", Role.OPERATOR, this::rerun);
    pages.action("/runs/{id}/review", Role.APPROVER, this::review);
  }

  private void show(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    String tab = ctx.queryParamAsClass("tab", String.class).getOrDefault("overview");
    if (!java.util.List.of("overview", "timeline", "evidence", "audit").contains(tab)) {
      tab = "overview";
    }
    RunPage page =
        view.page(
            session,
            project,
            ctx.pathParam("id"),
            tab,
            new RunView.TaskQuery(
                blank(ctx.queryParam("step")),
                blank(ctx.queryParam("status")),
                blank(ctx.queryParam("subject")),
                cursor(ctx.queryParam("after"))));
    String done = ctx.queryParam("done");
    if (done != null && DONE.containsKey(done)) {
      page =
          new RunPage(
              page.chrome().withNotice(DONE.get(done)),
              page.run(),
              page.buttons(),
              page.tab(),
              page.steps(),
              page.dag(),
              page.tasks(),
              page.gantt(),
              page.artifacts(),
              page.lineage(),
              page.lineageRows(),
              page.audit(),
              page.liveHref());
    }
    templates.render(ctx, "run.jte", page);
  }

  /** The run's status line and steps, sent again when they change, until the run ends. */
  private void stream(Context ctx, WebSession session) throws IOException {
    String project = PageRoutes.project(ctx, session);
    String id = ctx.pathParam("id");
    api.store().read(tx -> RunService.findRun(tx, project, id));
    live.stream(
        ctx,
        session,
        () -> {
          RunView.Live now = view.live(session, project, id);
          return new LivePages.Snapshot(
              Map.of(
                  "status",
                  templates.html("run_status.jte", now.facts()),
                  "actions",
                  templates.html(
                      "run_actions.jte",
                      new RunPage.RunActions(
                          now.facts(), now.buttons(), session.csrf(), Links.projectQuery(project))),
                  "steps",
                  templates.html("run_steps.jte", new RunSteps(now.steps()))),
              now.facts().ended());
        });
  }

  private void download(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    Run run = api.store().read(tx -> RunService.findRun(tx, project, ctx.pathParam("id")));
    String sha =
        dev.runledger.engine.evidence.ArtifactService.digest(ctx.pathParam("sha256"))
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "sha256", "a file is named by its SHA-256: 64 hex digits"));
    FileDownloads.send(api, ctx, run.project(), sha);
  }

  private void cancel(Context ctx, WebSession session, boolean abort) {
    String project = PageRoutes.project(ctx, session);
    String reason = text(ctx, "reason", 1000);
    Run run = api.runs().cancel(project, ctx.pathParam("id"), session.principal(), reason, abort);
    back(ctx, run, abort ? "abort" : "cancel");
  }

  private void retry(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    Principal principal = session.principal();
    limiter.acquire(principal);
    boolean force = "true".equals(ctx.formParam("force"));
    Run run = api.retries().retry(project, ctx.pathParam("id"), principal, null, force, false);
    back(ctx, run, "retry");
  }

  private void rerun(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    Principal principal = session.principal();
    limiter.acquire(principal);
    Run run = api.retries().rerun(project, ctx.pathParam("id"), principal, true).run();
    ctx.redirect(Links.run(run.id()) + query(run), HttpStatus.SEE_OTHER);
  }

  private void review(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    String decision = ctx.formParam("decision");
    if (!"approve".equals(decision) && !"reject".equals(decision)) {
      throw new InvalidInputException("decision", "decision is approve or reject");
    }
    Run run =
        api.reviews()
            .review(
                project,
                ctx.pathParam("id"),
                session.principal(),
                decision.equals("approve"),
                text(ctx, "comment", 4000));
    back(ctx, run, "review");
  }

  private static void back(Context ctx, Run run, String done) {
    String q = query(run);
    ctx.redirect(
        Links.run(run.id()) + (q.isEmpty() ? "?" : q + "&") + "done=" + done, HttpStatus.SEE_OTHER);
  }

  private static String query(Run run) {
    return Links.projectQuery(run.project());
  }

  private static String text(Context ctx, String field, int max) {
    String v = blank(ctx.formParam(field));
    if (v != null && v.length() > max) {
      throw new InvalidInputException(field, "at most " + max + " characters");
    }
    return v;
  }

  private static String blank(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static int cursor(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("after", "not a cursor this page gave");
    }
  }
}
