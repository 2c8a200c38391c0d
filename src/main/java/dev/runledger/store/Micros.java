package dev.runledger.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants stored as epoch microseconds. */
final class Micros {
  private Micros() {}

  static Long of(Instant instant) {
    if (instant == null) {
      return null;
    }
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static Instant toInstant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
