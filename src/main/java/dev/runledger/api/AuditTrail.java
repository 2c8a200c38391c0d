package dev.runledger.api;

import dev.runledger.model.AuditEvent;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.store.AuditFilter;
import dev.runledger.store.Store;
import dev.runledger.store.StoredAuditEvent;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The audit trail as the API and the web UI hand it out: its export as JSON Lines or CSV, as an
 * attachment ({@code GET /api/audit?format=} and the web UI's export links send the same bytes),
 * streamed page by page (each page its own read) so that memory stays flat however long the trail
 * is; and the position cursor its listings page with.
 */
public final class AuditTrail {
  private static final int PAGE = 1000;

  private final Store store;

  public AuditTrail(Store store) {
    this.store = store;
  }

  /** Sends the events {@code filter} matches in {@code format} ({@code jsonl} or {@code csv}). */
  public void send(Context ctx, AuditFilter filter, String format, boolean oldestFirst) {
    if (!"jsonl".equals(format) && !"csv".equals(format)) {
      throw new InvalidInputException("format", "format is jsonl or csv");
    }
    boolean csv = format.equals("csv");
    ctx.contentType(csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
    ctx.header(
        "Content-Disposition", "attachment; filename=\"audit." + (csv ? "csv" : "jsonl") + "\"");
    try (Writer out =
        new BufferedWriter(
            new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 64 * 1024)) {
      if (csv) {
        out.write("seq,id,at,project,actor,type,runId,taskName,target,details,prevHash,hash\n");
      }
      Long last = null;
      while (true) {
        Long cursor = last;
        List<StoredAuditEvent> page =
            store.read(tx -> tx.audit().list(filter, cursor, PAGE, oldestFirst));
        for (StoredAuditEvent stored : page) {
          out.write(csv ? csvLine(stored.event()) : Json.write(Views.audit(stored.event())));
          out.write('\n');
          last = stored.position();
        }
        if (page.size() < PAGE) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The position a listing's cursor names (null: from the start), or a clear error. */
  public static Long position(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("cursor", "not a cursor this listing returned");
    }
  }

  static String csvLine(AuditEvent e) {
    return String.join(
        ",",
        csv(e.seq() == null ? "" : e.seq().toString()),
        csv(e.id()),
        csv(Times.format(e.at())),
        csv(e.project()),
        csv(e.actor()),
        csv(e.type()),
        csv(e.runId()),
        csv(e.taskName()),
        csv(e.target()),
        csv(Json.write(e.details())),
        csv(e.prevHash()),
        csv(e.hash()));
  }

  /**
   * One CSV cell: quoted when needed, and a cell a spreadsheet would read as a formula (starting
   * with = + - @, or a tab or carriage return before one) gets a leading {@code '} so that it stays
   * text: actors, targets and names come from users.
   */
  static String csv(String value) {
    if (value == null) {
      return "";
    }
    if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
      value = "'" + value;
    }
    if (value.contains(",")
        || value.contains("\"")
        || value.contains("\n")
        || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }
}
