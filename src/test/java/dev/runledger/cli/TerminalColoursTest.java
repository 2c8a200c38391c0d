package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Status colours on a terminal only, never with NO_COLOR or TERM=dumb. */
class TerminalColoursTest {
  static StubServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        new StubServer()
            .on(
                "GET",
                "/api/runs",
                Answer.json(
                    200,
                    "{\"items\":[{\"id\":\"run_01\",\"workflow\":\"w\",\"status\":\"completed\"},"
                        + "{\"id\":\"run_02\",\"workflow\":\"w\",\"status\":\"failed\"}],"
                        + "\"nextCursor\":null}"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String runs(boolean terminal, String... variables) {
    Map<String, String> env = new HashMap<>(Map.of("RUNLEDGER_URL", server.url()));
    for (int i = 0; i < variables.length; i += 2) {
      env.put(variables[i], variables[i + 1]);
    }
    CliHarness.Result result = CliHarness.run(CliHarness.env(env).withTerminal(terminal), "runs");
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result.out();
  }

  @Test
  void on_a_terminal_statuses_are_coloured_and_columns_still_line_up() {
    String out = runs(true);

    assertThat(out)
        .contains("run_01  w                \u001b[32mcompleted\u001b[0m  -")
        .contains("run_02  w                \u001b[31mfailed\u001b[0m     -");
  }

  @Test
  void piped_output_no_color_and_a_dumb_terminal_have_no_escape_codes() {
    String plain = runs(false);

    assertThat(plain).doesNotContain("\u001b").contains("run_02  w                failed     -");
    assertThat(runs(true, "NO_COLOR", "1")).isEqualTo(plain);
    assertThat(runs(true, "TERM", "dumb")).isEqualTo(plain);
    // NO_COLOR set to the empty string does not count (no-color.org)
    assertThat(runs(true, "NO_COLOR", "")).contains("\u001b[31mfailed");
  }
}
