package dev.runledger.web;

import dev.runledger.api.Times;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.RunStatus;
import dev.runledger.store.RunFilter;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filters of the Runs page as its URL carries them, so a filtered view can be bookmarked and
 * shared: the same names as {@code GET /api/runs}; {@code since} and {@code until} take a date
 * ({@code 2026-12-01}, the whole day) or a timestamp.
 */
public record RunsFilter(
    String project,
    String status,
    String workflow,
    String action,
    String triggeredBy,
    String trigger,
    String since,
    String until,
    String review,
    String label) {

  static final List<String> CHIPS =
      List.of("pending", "running", "completed", "completed-with-failures", "failed", "cancelled");

  static RunsFilter of(Context ctx, String project) {
    return new RunsFilter(
        project,
        blank(ctx.queryParam("status")),
        blank(ctx.queryParam("workflow")),
        blank(ctx.queryParam("action")),
        blank(ctx.queryParam("triggeredBy")),
        blank(ctx.queryParam("trigger")),
        blank(ctx.queryParam("since")),
        blank(ctx.queryParam("until")),
        blank(ctx.queryParam("review")),
        blank(ctx.queryParam("label")));
  }

  /** The store's filter; a value it cannot take is an error naming the field. */
  RunFilter toStore() {
    List<RunStatus> statuses = new ArrayList<>();
    if (status != null) {
      for (String s : status.split(",")) {
        try {
          statuses.add(RunStatus.fromWire(s.trim()));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("status", e.getMessage());
        }
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (label != null) {
      int colon = label.indexOf(':');
      if (colon <= 0) {
        throw new InvalidInputException(
            "label", "a label filter is key:value, not '" + label + "'");
      }
      labels.put(label.substring(0, colon), label.substring(colon + 1));
    }
    return new RunFilter(
        project,
        statuses,
        workflow,
        action,
        triggeredBy,
        trigger,
        time("since", since, false),
        time("until", until, true),
        review,
        labels);
  }

  /** A date is its whole day: since its start, until its end. */
  static Instant time(String field, String text, boolean endOfDay) {
    if (text == null) {
      return null;
    }
    if (text.length() == 10) {
      try {
        LocalDate day = LocalDate.parse(text);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        throw new InvalidInputException(field, field + " is a date (2026-12-01) or a timestamp");
      }
    }
    return Times.parse(field, text);
  }

  public boolean any() {
    return workflow != null
        || action != null
        || triggeredBy != null
        || trigger != null
        || since != null
        || until != null
        || review != null
        || label != null;
  }

  /** This filter with another status (null: all), as a query string. */
  String withStatus(String s) {
    return query(s, null);
  }

  /** The query string of this filter (and a cursor, if given). */
  String query(String s, String cursor) {
    Map<String, String> q = new LinkedHashMap<>();
    if (!"default".equals(project)) {
      q.put("project", project);
    }
    q.put("status", s);
    q.put("workflow", workflow);
    q.put("action", action);
    q.put("triggeredBy", triggeredBy);
    q.put("trigger", trigger);
    q.put("since", since);
    q.put("until", until);
    q.put("review", review);
    q.put("label", label);
    q.put("cursor", cursor);
    return Links.queryString(q);
  }

  static String blank(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }
}
