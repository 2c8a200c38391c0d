package dev.runledger.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps as Runledger writes them: RFC 3339, UTC, always six fraction digits. */
public final class Timestamps {
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** {@code 2026-11-21T07:00:00.123456Z}; null stays null. */
  public static String format(Instant instant) {
    return instant == null ? null : MICROS.format(instant);
  }
}
