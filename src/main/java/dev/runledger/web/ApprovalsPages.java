package dev.runledger.web;

import dev.runledger.api.ApiContext;
import dev.runledger.model.Approval;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Role;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;

/**
 * {@code /approvals}: the inbox of pending approvals with what is needed to decide each, Approve
 * and Reject (with a comment) through the API's ApprovalService, and the decided approvals.
 */
final class ApprovalsPages {
  private static final int COMMENT = 4000;
  private static final Map<String, String> DONE =
      Map.of(
          "approved", "Approved: the task is queued and the run goes on.",
          "rejected", "Rejected: the task is skipped, and so are the steps that need it.",
          "already", "Someone decided it first; the list below shows their decision.");

  private final Templates templates;
  private final ApiContext api;
  private final ApprovalsReader reader;

  ApprovalsPages(ApiContext api, Templates templates) {
    this.api = api;
    this.templates = templates;
    this.reader = new ApprovalsReader(api);
  }

  void register(PageRoutes pages) {
    pages.page("/approvals", Role.VIEWER, this::list);
    pages.action("/approvals/{id}/approve", Role.APPROVER, (ctx, s) -> decide(ctx, s, true));
    pages.action("/approvals/{id}/reject", Role.APPROVER, (ctx, s) -> decide(ctx, s, false));
  }

  private void list(Context ctx, WebSession session) {
    Chrome chrome = Chrome.of(session, "Approvals", "approvals", PageRoutes.project(ctx, session));
    String done = DONE.get(String.valueOf(ctx.queryParam("done")));
    if (done != null) {
      chrome = chrome.withNotice(done);
    }
    templates.render(
        ctx, "approvals.jte", reader.page(chrome, session.principal(), ctx.queryParam("cursor")));
  }

  private void decide(Context ctx, WebSession session, boolean approve) {
    String project = PageRoutes.project(ctx, session);
    String comment = ctx.formParam("comment");
    if (comment != null && comment.isBlank()) {
      comment = null;
    }
    if (comment != null && comment.length() > COMMENT) {
      throw new InvalidInputException("comment", "a comment has at most 4000 characters");
    }
    Approval decided =
        api.approvals().decide(project, ctx.pathParam("id"), session.principal(), approve, comment);
    String wanted = approve ? "approved" : "rejected";
    boolean mine =
        decided.state().equals(wanted) && session.principal().name().equals(decided.decidedBy());
    String query = "default".equals(project) ? "?" : "?project=" + Links.query(project) + "&";
    ctx.redirect(
        "/approvals" + query + "done=" + (mine ? wanted : "already"), HttpStatus.SEE_OTHER);
  }
}
