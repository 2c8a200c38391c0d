package dev.runledger.model;

import java.time.Duration;

/** Automatic retry of transient failures: attempts in all, and exponential backoff. */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff) {
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  /** Delay before attempt {@code nextAttempt} (2 for the first retry). */
  public Duration delayBefore(int nextAttempt) {
    if (backoff.isZero()) {
      return Duration.ZERO;
    }
    long factor = 1L << Math.min(20, Math.max(0, nextAttempt - 2));
    Duration delay = backoff.multipliedBy(factor);
    Duration cap = maxBackoff.isZero() ? Duration.ofHours(1) : maxBackoff;
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
