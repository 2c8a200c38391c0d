package dev.runledger.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading and writing the times and durations that client commands show or send. */
final class Formats {
  private static final Pattern RELATIVE = Pattern.compile("(\\d{1,9})(s|m|h|d|w)");
  private static final DateTimeFormatter RFC3339_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Formats() {}

  /**
   * A point in time as the API wants it (RFC 3339 UTC with microseconds) from {@code 7d}, {@code
   * 12h}, {@code 30m}, {@code 45s}, {@code 2w} (that long before now), an RFC 3339 timestamp, or a
   * date (its start, UTC).
   *
   * @throws CliException naming the accepted forms
   */
  static String since(String text, Clock clock) {
    String t = text.trim();
    Matcher m = RELATIVE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration ago =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return timestamp(clock.instant().minus(ago));
    }
    try {
      return timestamp(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException notTimestamp) {
      // try a date
    }
    try {
      return timestamp(LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException e) {
      throw new UsageException(
          "'"
              + text
              + "' is not a time: use an age such as 30m, 12h, 7d or 2w, a date such as"
              + " 2026-11-01, or an RFC 3339 timestamp such as 2026-11-01T00:00:00Z");
    }
  }

  static String timestamp(Instant instant) {
    return RFC3339_MICROS.format(instant.truncatedTo(ChronoUnit.MICROS));
  }

  /** A server timestamp shortened for a table: {@code 2026-11-21 07:00:00}. */
  static String shortTime(String rfc3339) {
    if (rfc3339 == null) {
      return null;
    }
    try {
      Instant instant = OffsetDateTime.parse(rfc3339).toInstant();
      return DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
          .withZone(ZoneOffset.UTC)
          .format(instant);
    } catch (DateTimeParseException e) {
      return rfc3339;
    }
  }

  /** A duration in milliseconds for people: {@code 812ms}, {@code 5.1s}, {@code 3m12s}. */
  static String duration(Long millis) {
    if (millis == null) {
      return null;
    }
    long ms = millis;
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return (s / 60) + "m" + String.format(java.util.Locale.ROOT, "%02ds", s % 60);
    }
    return (s / 3600) + "h" + String.format(java.util.Locale.ROOT, "%02dm", (s % 3600) / 60);
  }
}
