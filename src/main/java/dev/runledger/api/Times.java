package dev.runledger.api;

import dev.runledger.model.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** RFC 3339 UTC timestamps with microseconds, as the API writes them. */
public final class Times {

  private Times() {}

  public static String format(Instant instant) {
    return Timestamps.format(instant);
  }

  /**
   * Parses an RFC 3339 timestamp from a query parameter, naming the field when it is not one or
   * lies outside the supported range.
   */
  public static Instant parse(String field, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new dev.runledger.model.InvalidInputException(
          field, "'" + text + "' is not an RFC 3339 timestamp such as 2026-11-21T07:00:00Z");
    }
    return inRange(field, text, instant);
  }

  /** The instant, or a 400 naming the field when it lies outside {@link Timestamps#RANGE}. */
  static Instant inRange(String field, String text, Instant instant) {
    if (!Timestamps.inRange(instant)) {
      throw new dev.runledger.model.InvalidInputException(field, Timestamps.outOfRange(text));
    }
    return instant;
  }
}
