package dev.runledger.web;

import dev.runledger.api.ApiContext;
import dev.runledger.api.AuditTrail;
import dev.runledger.model.Role;
import dev.runledger.store.AuditFilter;
import dev.runledger.store.StoredAuditEvent;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code /audit}: the chain's state from verify, the filtered trail a page at a time, and its
 * export ({@code /audit/export?format=jsonl|csv}, the same bytes as {@code GET /api/audit?format=}
 * for a browser that has a session rather than a token).
 */
final class AuditPages {
  static final int PAGE = 50;

  private final ApiContext api;
  private final Templates templates;

  AuditPages(ApiContext api, Templates templates) {
    this.api = api;
    this.templates = templates;
  }

  void register(PageRoutes pages) {
    pages.page("/audit", Role.VIEWER, this::list);
    pages.page("/audit/export", Role.VIEWER, this::export);
  }

  private void list(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    AuditQuery query = AuditQuery.of(ctx, project);
    AuditFilter filter = query.toStore(seesEveryProject(session));
    Long cursor = AuditTrail.position(ctx.queryParam("cursor"));
    if (hasBlanks(ctx)) {
      // the form sends its empty fields too: the view's link names only the filters in use
      ctx.redirect(
          "/audit" + query.query("cursor", ctx.queryParam("cursor")), HttpStatus.SEE_OTHER);
      return;
    }
    // sealed first, so that the chain verified and the events listed have their positions
    api.sealer().sealNow();
    ChainState chain = ChainState.of(api.verifier().verify());
    List<StoredAuditEvent> events =
        api.store().read(tx -> tx.audit().list(filter, cursor, PAGE + 1, false));
    Instant now = api.clock().instant();
    List<AuditRow> rows =
        events.stream().limit(PAGE).map(e -> AuditRow.of(e.event(), now)).toList();
    String next =
        events.size() > PAGE
            ? "/audit" + query.query("cursor", String.valueOf(events.get(PAGE - 1).position()))
            : null;
    templates.render(
        ctx,
        "audit.jte",
        new AuditPage(
            Chrome.of(session, "Audit", "audit", project),
            chain,
            query,
            rows,
            next,
            AuditQuery.COMMON_TYPES));
  }

  /** The filtered trail as JSON Lines or CSV, oldest first (the chain's order), as the API's. */
  private void export(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    AuditFilter filter = AuditQuery.of(ctx, project).toStore(seesEveryProject(session));
    new AuditTrail(api.store()).send(ctx, filter, ctx.queryParam("format"), true);
  }

  private static boolean hasBlanks(Context ctx) {
    return ctx.queryParamMap().values().stream()
        .flatMap(List::stream)
        .anyMatch(v -> v == null || v.isBlank());
  }

  /** The system scope (tokens, shared artifact bytes) is for principals of every project. */
  private static boolean seesEveryProject(WebSession session) {
    return session.principal().projects() == null;
  }
}
