package dev.runledger.web;

import dev.runledger.store.AuditFilter;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filters of the Audit page as its URL carries them (the names of {@code GET /api/audit}), so
 * that a filtered view, and its export, can be bookmarked and shared; {@code since} and {@code
 * until} take a date (the whole day) or a timestamp.
 */
public record AuditQuery(
    String project, String since, String until, String actor, String type, String runId) {

  /** Types the type field suggests (any other type may be typed). */
  public static final List<String> COMMON_TYPES =
      List.of(
          "run.created",
          "run.status-changed",
          "run.cancel-requested",
          "run.abort-requested",
          "run.reviewed",
          "task.created",
          "task.status-changed",
          "task.retry-requested",
          "approval.requested",
          "approval.decided",
          "approval.expired",
          "definition.revised",
          "definition.archived",
          "schedule.fired",
          "event.received",
          "token.created",
          "token.revoked",
          "secret.created",
          "secret.updated",
          "secret.deleted",
          "session.started",
          "session.ended");

  static AuditQuery of(Context ctx, String project) {
    return new AuditQuery(
        project,
        RunsFilter.blank(ctx.queryParam("since")),
        RunsFilter.blank(ctx.queryParam("until")),
        RunsFilter.blank(ctx.queryParam("actor")),
        RunsFilter.blank(ctx.queryParam("type")),
        RunsFilter.blank(ctx.queryParam("runId")));
  }

  /**
   * The store's filter; {@code includeSystem}: whether events of no project (tokens, say) are
   * listed too, as for a principal that sees every project.
   */
  AuditFilter toStore(boolean includeSystem) {
    return new AuditFilter(
        project,
        RunsFilter.time("since", since, false),
        RunsFilter.time("until", until, true),
        actor,
        type,
        runId,
        includeSystem);
  }

  public boolean any() {
    return since != null || until != null || actor != null || type != null || runId != null;
  }

  /** This view's query string, with {@code extra} pairs (a cursor, a format) after the filters. */
  String query(String... extra) {
    Map<String, String> q = new LinkedHashMap<>();
    if (!"default".equals(project)) {
      q.put("project", project);
    }
    q.put("since", since);
    q.put("until", until);
    q.put("actor", actor);
    q.put("type", type);
    q.put("runId", runId);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      q.put(extra[i], extra[i + 1]);
    }
    return Links.queryString(q);
  }

  /** The export of this view in {@code format} ({@code jsonl}, {@code csv}). */
  public String exportHref(String format) {
    return "/audit/export" + query("format", format);
  }
}
