package dev.runledger.engine.trigger;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A five-field cron expression read as wall-clock time in a time zone.
 *
 * <p>Daylight-saving changes: the cron is evaluated on local date-times (so {@code 0 6 * * MON}
 * stays at 06:00 local time across a change); a local time that does not exist (the hour skipped in
 * spring) fires at the same wall-clock distance after the gap, as {@link ZonedDateTime#of} moves
 * it, and a local time that occurs twice (the hour repeated in autumn) fires once, at its first
 * occurrence. Fire instants are strictly increasing, so nothing fires twice.
 */
final class CronSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final int MAX_STEPS = 100_000;

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime execution;

  public CronSchedule(String expression, ZoneId zone) {
    this.expression = expression;
    this.zone = zone;
    this.execution = ExecutionTime.forCron(PARSER.parse(expression));
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first fire strictly after {@code after}, if the expression ever fires again. */
  public Optional<Instant> nextAfter(Instant after) {
    // Evaluate on local wall-clock time; UTC stands in as a zone without daylight-saving changes.
    LocalDateTime local = after.atZone(zone).toLocalDateTime();
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> next = execution.nextExecution(local.atZone(ZoneOffset.UTC));
      if (next.isEmpty()) {
        return Optional.empty();
      }
      LocalDateTime nextLocal = next.get().toLocalDateTime();
      Instant fire = ZonedDateTime.of(nextLocal, zone).toInstant();
      if (fire.isAfter(after)) {
        return Optional.of(fire);
      }
      local = nextLocal;
    }
    return Optional.empty();
  }

  /** Fires in {@code (after, until]}, at most {@code limit} of them, oldest first. */
  public List<Instant> firesBetween(Instant after, Instant until, int limit) {
    List<Instant> fires = new ArrayList<>();
    Instant t = after;
    while (fires.size() < limit) {
      Optional<Instant> next = nextAfter(t);
      if (next.isEmpty() || next.get().isAfter(until)) {
        break;
      }
      fires.add(next.get());
      t = next.get();
    }
    return fires;
  }

  /** The latest fire in {@code (after, until]}, if any (found backwards from {@code until}). */
  public Optional<Instant> lastBetween(Instant after, Instant until) {
    LocalDateTime probe = until.atZone(zone).toLocalDateTime().plusSeconds(1);
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<ZonedDateTime> previous = execution.lastExecution(probe.atZone(ZoneOffset.UTC));
      if (previous.isEmpty()) {
        return Optional.empty();
      }
      LocalDateTime previousLocal = previous.get().toLocalDateTime();
      Instant fire = ZonedDateTime.of(previousLocal, zone).toInstant();
      if (!fire.isAfter(until)) {
        return fire.isAfter(after) ? Optional.of(fire) : Optional.empty();
      }
      probe = previousLocal;
    }
    return Optional.empty();
  }
}
