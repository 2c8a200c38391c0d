package dev.runledger.engine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.definition.SecretMasker;
import dev.runledger.store.LogLine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferedAttemptLogTest {
  @Test
  void an_over_long_line_is_masked_before_it_is_cut() {
    String secret = "s3cr3t-value-0123456789";
    SecretMasker masker = new SecretMasker(List.of(secret));
    BufferedAttemptLog log =
        new BufferedAttemptLog(
            "run_1",
            "t",
            1,
            Clock.fixed(Instant.parse("2026-11-21T07:00:00Z"), ZoneOffset.UTC),
            masker::mask);
    String before = "a".repeat(BufferedAttemptLog.MAX_LINE_LENGTH - 10);

    log.stdout(before + secret + " end");

    List<LogLine> lines = log.drain();
    assertThat(lines).extracting(LogLine::line).containsExactly(before + "*** end");
    assertThat(lines.get(0).line()).doesNotContain(secret.substring(0, 5));
  }
}
