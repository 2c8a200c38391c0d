package dev.runledger.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants stored as epoch microseconds. */
final class Micros {
  private Micros() {}

  /**
   * The instant in epoch microseconds, computed from seconds (not nanoseconds, which overflow a
   * long past the year 2262), so every supported time converts exactly.
   *
   * @throws ArithmeticException beyond some 292,000 years from 1970
   */
  static Long of(Instant instant) {
    if (instant == null) {
      return null;
    }
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  static Instant toInstant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
