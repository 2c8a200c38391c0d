package dev.runledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A line's number within its attempt is stored with it, so a page reads it instead of counting. */
class LogLineNumbersTest {
  private static final Instant T0 = Instant.parse("2026-12-04T07:00:00Z");

  @Test
  void lines_keep_their_numbers_within_their_attempt_whatever_else_is_written_between()
      throws Exception {
    Path dir = Files.createTempDirectory("runledger-lines");
    try (Store store = new Store(Database.open(null, dir))) {
      List<LogLine> lines = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        lines.add(new LogLine(0, "run_a", "t", 1, T0, "stdout", "a" + i, i));
        lines.add(new LogLine(0, "run_a", "other", 1, T0, "stdout", "o" + i, i));
      }
      store.writeAndWait(
          tx -> {
            tx.logs().append(lines);
            return null;
          });
      List<LogLine> tail = store.read(tx -> tx.logs().tail("run_a", "t", 1, 2));
      assertThat(tail).extracting(LogLine::line).containsExactly("a4", "a5");
      assertThat(tail).extracting(LogLine::number).containsExactly(4L, 5L);
      LogLine third =
          store.read(tx -> tx.logs().before("run_a", "t", 1, tail.get(0).position(), 1)).get(0);
      assertThat(third.number()).isEqualTo(3);
      // the number is the line's place among its attempt's lines
      List<LogLine> all = store.read(tx -> tx.logs().read("run_a", "t", 1, 0, 10));
      assertThat(all).extracting(LogLine::number).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(all.indexOf(third) + 1).isEqualTo(3);
    }
  }
}
