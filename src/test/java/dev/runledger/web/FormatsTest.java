package dev.runledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatsTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  static String ago(Duration d) {
    return Formats.relative(NOW.minus(d), NOW);
  }

  static String in(Duration d) {
    return Formats.relative(NOW.plus(d), NOW);
  }

  @Test
  void relative_times_round_to_the_nearest_unit() {
    assertThat(Formats.relative(null, NOW)).isEqualTo("-");
    assertThat(ago(Duration.ofSeconds(3))).isEqualTo("just now");
    assertThat(ago(Duration.ofSeconds(42))).isEqualTo("42 s ago");
    assertThat(ago(Duration.ofSeconds(59).plusMillis(600))).isEqualTo("1 min ago");
    assertThat(ago(Duration.ofMinutes(5).plusSeconds(40))).isEqualTo("6 min ago");
    assertThat(ago(Duration.ofMinutes(59).plusSeconds(40))).isEqualTo("1 h ago");
    assertThat(ago(Duration.ofHours(3))).isEqualTo("3 h ago");
    assertThat(ago(Duration.ofHours(23).plusMinutes(40))).isEqualTo("1 d ago");
    assertThat(ago(Duration.ofDays(2))).isEqualTo("2 d ago");
  }

  @Test
  void a_future_time_reads_the_same_just_after_it_was_set() {
    assertThat(in(Duration.ofHours(72))).isEqualTo("in 3 d");
    assertThat(in(Duration.ofHours(72).minusMillis(1))).isEqualTo("in 3 d");
    assertThat(in(Duration.ofHours(72).minusSeconds(1))).isEqualTo("in 3 d");
    assertThat(in(Duration.ofMinutes(4))).isEqualTo("in 4 min");
  }
}
