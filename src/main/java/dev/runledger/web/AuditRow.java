package dev.runledger.web;

import dev.runledger.model.AuditEvent;
import dev.runledger.model.Json;
import java.time.Instant;

/**
 * One audit event as the Audit page lists it; {@code details} is its JSON as text (the template
 * escapes it like every value).
 */
public record AuditRow(
    String seq,
    String at,
    String atIso,
    String ago,
    String actor,
    String type,
    String runId,
    String runHref,
    String taskName,
    String taskHref,
    String target,
    String details) {

  /** Details longer than this show a preview that opens to the whole. */
  static final int PREVIEW = 140;

  static AuditRow of(AuditEvent e, Instant now) {
    boolean hasDetails = e.details() != null && !e.details().isNull() && !e.details().isEmpty();
    return new AuditRow(
        e.seq() == null ? "sealing" : String.valueOf(e.seq()),
        Formats.absolute(e.at()),
        Formats.iso(e.at()),
        Formats.relative(e.at(), now),
        e.actor(),
        e.type(),
        e.runId(),
        e.runId() == null ? null : Links.run(e.runId()),
        e.taskName(),
        e.runId() == null || e.taskName() == null ? null : Links.task(e.runId(), e.taskName()),
        redundant(e) ? null : e.target(),
        hasDetails ? Json.write(e.details()) : null);
  }

  /** A target that only repeats the run (and task) the row links to anyway. */
  private static boolean redundant(AuditEvent e) {
    return e.target() == null
        || e.target().equals(e.runId())
        || (e.runId() != null && e.target().equals(e.runId() + "/" + e.taskName()));
  }

  /** Whether the details are long enough to be shown folded. */
  public boolean folded() {
    return details != null && details.length() > PREVIEW;
  }

  /** The start of the details, for a folded row. */
  public String preview() {
    return folded() ? details.substring(0, PREVIEW - 20) + "…" : details;
  }
}
