package dev.runledger.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as Runledger writes them: RFC 3339, UTC, always six fraction digits; and the range of
 * times it accepts anywhere (query filters, timers, stored columns).
 */
public final class Timestamps {
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * The earliest supported time: RFC 3339 writes four-digit years, and every time of years 0001 to
   * 9999 fits the stores' epoch-microsecond columns.
   */
  public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest supported time (see {@link #MIN}). */
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  /** The supported range, as messages state it. */
  public static final String RANGE = "years 0001 to 9999 (UTC)";

  private Timestamps() {}

  /** {@code 2026-11-21T07:00:00.123456Z}; null stays null. */
  public static String format(Instant instant) {
    return instant == null ? null : MICROS.format(instant);
  }

  /** True if the time lies in the supported range ({@link #MIN} to {@link #MAX}). */
  public static boolean inRange(Instant instant) {
    return !instant.isBefore(MIN) && !instant.isAfter(MAX);
  }

  /** Why a time is refused, for a message that names its field: "is outside ...". */
  public static String outOfRange(String text) {
    return "'" + text + "' is outside the supported times, " + RANGE;
  }
}
