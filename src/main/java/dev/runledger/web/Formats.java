package dev.runledger.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How pages write times, durations, sizes and JSON. */
final class Formats {
  private static final DateTimeFormatter ABSOLUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Formats() {}

  /** {@code 2026-12-03 14:05:09 UTC}, or {@code -}. */
  static String absolute(Instant at) {
    return at == null ? "-" : ABSOLUTE.format(at);
  }

  /** {@code 2026-12-03T14:05:09Z} for a {@code <time datetime>}, or empty. */
  static String iso(Instant at) {
    return at == null ? "" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /**
   * {@code just now}, {@code 5 min ago}, {@code 3 h ago}, {@code 2 d ago}, or {@code in 4 min}:
   * rounded to the nearest unit, so an approval that expires in 72 hours reads {@code in 3 d} for
   * its first twelve hours, not {@code in 2 d} a millisecond after it was asked.
   */
  static String relative(Instant at, Instant now) {
    if (at == null) {
      return "-";
    }
    long ms = Duration.between(at, now).toMillis();
    boolean future = ms < 0;
    long a = Math.abs(ms);
    String amount;
    if (a < 10_000) {
      return "just now";
    } else if (a < 59_500) {
      amount = Math.round(a / 1_000.0) + " s";
    } else if (a < 3_570_000) {
      amount = Math.round(a / 60_000.0) + " min";
    } else if (a < 84_600_000) {
      amount = Math.round(a / 3_600_000.0) + " h";
    } else {
      amount = Math.round(a / 86_400_000.0) + " d";
    }
    return future ? "in " + amount : amount + " ago";
  }

  /** How long ago {@code at} was, to the second: {@code 4 s}, {@code 3 min 05 s}; or {@code -}. */
  static String age(Instant at, Instant now) {
    if (at == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(at, now).toSeconds());
    return s < 60 ? s + " s" : duration(Duration.ofSeconds(s));
  }

  /** A duration as {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 2 h 10 min}. */
  static String duration(Duration d) {
    if (d == null) {
      return "-";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format("%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format("%d min %02d s", s / 60, s % 60);
    }
    return String.format("%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  /** The duration from start to end; "-" while it has not ended. */
  static String duration(Instant start, Instant end) {
    return start == null || end == null ? "-" : duration(Duration.between(start, end));
  }

  /** A byte count as {@code 512 B}, {@code 4.2 KiB}, {@code 1.5 MiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format("%.1f %s", v, units[i]);
  }

  /** JSON, indented, for a code block; empty for null. */
  static String json(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "";
    }
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return node.toString();
    }
  }

  /** JSON for a code block, or null when there is nothing to show (null, {} or []). */
  static String jsonOrNull(JsonNode node) {
    if (node == null
        || node.isNull()
        || node.isMissingNode()
        || (node.isContainerNode() && node.isEmpty())) {
      return null;
    }
    return json(node);
  }
}
