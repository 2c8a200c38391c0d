package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.model.AuditEvent;
import dev.runledger.model.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Audit CSV cells: quoted when needed, never read as a formula by a spreadsheet. */
class AuditCsvTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "=1+2",
        "=HYPERLINK(\"http://evil.example/\";\"click\")",
        "+1",
        "-1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1",
        "\r=1",
        "=cmd|' /C calc'!A0",
      })
  void cells_a_spreadsheet_would_evaluate_are_prefixed_with_a_quote(String value) {
    String cell = AuditTrail.csv(value);

    String unquoted =
        cell.startsWith("\"") ? cell.substring(1, cell.length() - 1).replace("\"\"", "\"") : cell;
    assertThat(unquoted).isEqualTo("'" + value);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "alice|alice",
        "run.created|run.created",
        "a=b|a=b",
        "x-1|x-1",
        "sha256:00ff|sha256:00ff",
        "'already|'already",
        "a,b|\"a,b\"",
      })
  void other_cells_are_left_as_they_are(String value, String expected) {
    assertThat(AuditTrail.csv(value)).isEqualTo(expected);
  }

  @Test
  void a_whole_line_guards_every_user_supplied_field() {
    AuditEvent e =
        new AuditEvent(
            "evt_1",
            7L,
            Instant.parse("2026-11-21T10:00:00Z"),
            "+project",
            "=actor",
            "run.created",
            "run_1",
            "@task",
            "-target",
            Json.object().put("k", "v"),
            "sha256:aa",
            "sha256:bb");

    assertThat(AuditTrail.csvLine(e))
        .isEqualTo(
            "7,evt_1,2026-11-21T10:00:00.000000Z,'+project,'=actor,run.created,run_1,'@task,'-target,"
                + "\"{\"\"k\"\":\"\"v\"\"}\",sha256:aa,sha256:bb");
  }
}
