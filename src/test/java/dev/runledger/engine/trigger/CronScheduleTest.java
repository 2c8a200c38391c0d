package dev.runledger.engine.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Next fires of five-field cron expressions in a time zone, across daylight-saving changes. */
class CronScheduleTest {
  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  @Test
  void a_weekly_fire_keeps_its_local_time_across_the_spring_change_in_oslo() {
    // Monday 06:00 in Oslo: 05:00Z in winter time (CET), 04:00Z in summer time (CEST).
    CronSchedule weekly = new CronSchedule("0 6 * * MON", OSLO);
    Instant beforeChange = Instant.parse("2026-03-23T05:00:00Z");
    assertThat(weekly.nextAfter(Instant.parse("2026-03-22T12:00:00Z"))).contains(beforeChange);
    assertThat(weekly.nextAfter(beforeChange)).contains(Instant.parse("2026-03-30T04:00:00Z"));
  }

  @Test
  void a_weekly_fire_keeps_its_local_time_across_the_autumn_change_in_oslo() {
    CronSchedule weekly = new CronSchedule("0 6 * * MON", OSLO);
    assertThat(weekly.nextAfter(Instant.parse("2026-10-19T04:00:00Z")))
        .contains(Instant.parse("2026-10-26T05:00:00Z"));
  }

  @Test
  void a_daily_fire_in_the_skipped_hour_fires_once_just_after_the_gap() {
    // 2026-03-29: clocks go from 02:00 to 03:00 in Oslo; 02:30 does not exist that day.
    CronSchedule daily = new CronSchedule("30 2 * * *", OSLO);
    List<Instant> fires =
        daily.firesBetween(
            Instant.parse("2026-03-27T12:00:00Z"), Instant.parse("2026-03-31T12:00:00Z"), 10);
    assertThat(fires)
        .containsExactly(
            Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
            Instant.parse("2026-03-29T01:30:00Z"), // 03:30 CEST, the wall-clock time after the gap
            Instant.parse("2026-03-30T00:30:00Z"), // 02:30 CEST
            Instant.parse("2026-03-31T00:30:00Z"));
  }

  @Test
  void a_daily_fire_in_the_repeated_hour_fires_once() {
    // 2026-10-25: clocks go from 03:00 back to 02:00 in Oslo; 02:30 happens twice that day.
    CronSchedule daily = new CronSchedule("30 2 * * *", OSLO);
    List<Instant> fires =
        daily.firesBetween(
            Instant.parse("2026-10-24T12:00:00Z"), Instant.parse("2026-10-26T12:00:00Z"), 10);
    assertThat(fires)
        .containsExactly(
            Instant.parse("2026-10-25T00:30:00Z"), // the first 02:30 (CEST)
            Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
  }

  @Test
  void fires_are_strictly_increasing_through_both_changes_for_a_quarter_hourly_cron() {
    CronSchedule often = new CronSchedule("*/15 * * * *", OSLO);
    for (String day : List.of("2026-03-28T22:00:00Z", "2026-10-24T22:00:00Z")) {
      List<Instant> fires = often.firesBetween(Instant.parse(day), Instant.MAX, 40);
      assertThat(fires).hasSize(40).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void the_latest_fire_in_a_window_is_found_backwards_in_local_time() {
    CronSchedule weekly = new CronSchedule("0 6 * * MON", OSLO);
    assertThat(
            weekly.lastBetween(
                Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z")))
        .contains(Instant.parse("2026-03-30T04:00:00Z"));
    assertThat(
            weekly.lastBetween(
                Instant.parse("2026-03-30T04:00:00Z"), Instant.parse("2026-04-01T00:00:00Z")))
        .isEmpty();
    assertThat(
            weekly.lastBetween(
                Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-30T04:00:00Z")))
        .contains(Instant.parse("2026-03-30T04:00:00Z"));
  }
}
