package dev.runledger.api;

import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Triggers a minute per principal (0 = no limit), with per-role overrides: 429 with Retry-After
 * past it. One limiter serves every route that starts work (triggers, {@code POST /api/events},
 * manual retry and rerun, webhooks), so a principal cannot get round its limit by switching routes.
 * Webhooks carry no principal: they are limited per workflow. Approval and review decisions and
 * cancel or abort start no new work and are not counted.
 *
 * <p>The budget refills whole once a minute (not a token at a time), so "60 a minute" means the
 * 61st trigger within the minute is refused, and Retry-After says when the minute is over.
 */
public final class TriggerRateLimiter {
  private final int perMinute;
  private final Map<Role, Integer> byRole;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  TriggerRateLimiter(int perMinute, Map<Role, Integer> byRole) {
    this.perMinute = perMinute;
    this.byRole = byRole == null ? Map.of() : Map.copyOf(byRole);
  }

  TriggerRateLimiter(int perMinute) {
    this(perMinute, Map.of());
  }

  /** Takes one trigger for the principal, at its role's rate; throws 429 naming when to retry. */
  public void acquire(Principal principal) {
    acquire("principal:" + principal.name(), byRole.getOrDefault(principal.role(), perMinute));
  }

  /** Takes one trigger for {@code principal} at the default rate. */
  void acquire(String principal) {
    acquire("principal:" + principal, perMinute);
  }

  /** Takes one trigger for a workflow's webhook, at the default rate. */
  void acquireHook(String project, String workflow) {
    acquire("hook:" + project + "/" + workflow, perMinute);
  }

  private void acquire(String key, int rate) {
    if (rate <= 0) {
      return;
    }
    Bucket bucket =
        buckets.computeIfAbsent(
            key + "@" + rate,
            k ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(rate)
                            .refillIntervally(rate, Duration.ofMinutes(1))
                            .build())
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
      throw new RateLimitedException(seconds, rate, key.startsWith("hook:"));
    }
  }

  /** Too many triggers. */
  public static final class RateLimitedException extends RuntimeException {
    final long retryAfterSeconds;

    /** How many seconds until the principal may trigger again. */
    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }

    RateLimitedException(long retryAfterSeconds, int perMinute, boolean hook) {
      super(
          "rate limited: at most "
              + perMinute
              + (hook ? " webhook calls a minute per workflow" : " triggers a minute per principal")
              + "; retry after "
              + retryAfterSeconds
              + " s");
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }
}
