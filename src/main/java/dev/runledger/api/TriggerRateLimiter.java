package dev.runledger.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Triggers a minute per principal (0 = no limit): 429 with Retry-After past it. */
final class TriggerRateLimiter {
  private final int perMinute;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  TriggerRateLimiter(int perMinute) {
    this.perMinute = perMinute;
  }

  /** Takes one trigger for {@code principal}; throws 429 naming when to retry. */
  void acquire(String principal) {
    if (perMinute <= 0) {
      return;
    }
    Bucket bucket =
        buckets.computeIfAbsent(
            principal,
            p ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(perMinute)
                            .refillGreedy(perMinute, Duration.ofMinutes(1))
                            .build())
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
      throw new RateLimitedException(seconds, perMinute);
    }
  }

  /** Too many triggers. */
  static final class RateLimitedException extends RuntimeException {
    final long retryAfterSeconds;

    RateLimitedException(long retryAfterSeconds, int perMinute) {
      super(
          "rate limited: at most "
              + perMinute
              + " triggers a minute per principal; retry after "
              + retryAfterSeconds
              + " s");
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }
}
