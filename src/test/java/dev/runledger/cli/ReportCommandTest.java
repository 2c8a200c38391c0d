package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportCommandTest {
  static final String REPORT =
      "{\"items\":[{\"workflow\":\"kyc\",\"runs\":{\"total\":2,\"completed\":2},"
          + "\"tasks\":{\"total\":3,\"succeeded\":3},\"actionsInvoked\":3,"
          + "\"approvalsDecided\":{\"total\":1,\"approved\":1,\"rejected\":0},"
          + "\"retries\":1,\"recovered\":1,\"cancellations\":0,"
          + "\"steps\":[{\"step\":\"each\",\"tasks\":{\"total\":2,\"succeeded\":2},"
          + "\"retries\":1,\"recovered\":1},{\"step\":\"lookup\",\"tasks\":{\"total\":1,"
          + "\"succeeded\":1},\"retries\":0,\"recovered\":0}]}],"
          + "\"totals\":{\"runs\":{\"total\":2,\"completed\":2},\"tasks\":{\"total\":3,"
          + "\"succeeded\":3},\"actionsInvoked\":3,\"approvalsDecided\":{\"total\":1,"
          + "\"approved\":1,\"rejected\":0},\"retries\":1,\"recovered\":1,\"cancellations\":0},"
          + "\"approvals\":[{\"id\":\"apr_1\",\"workflow\":\"kyc\",\"runId\":\"run_1\","
          + "\"taskName\":\"sign\",\"decision\":\"approved\",\"decidedBy\":\"lee\","
          + "\"decidedAt\":\"2026-11-02T09:30:00.000000Z\",\"comment\":\"evidence seen\"}]}";

  StubServer server;

  @BeforeEach
  void start() throws Exception {
    server = new StubServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void filters_are_sent_and_steps_and_decisions_are_printed() {
    server.on("GET", "/api/reports/runs", Answer.json(200, REPORT));

    CliHarness.Result result =
        CliHarness.run(
            server,
            "report",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--workflow",
            "kyc",
            "--label",
            "team=compliance",
            "--trigger",
            "schedule");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(server.only("GET", "/api/reports/runs").query())
        .isEqualTo(
            Map.of(
                "from", List.of("2026-11-01"),
                "to", List.of("2026-11-30"),
                "groupBy", List.of("workflow"),
                "workflow", List.of("kyc"),
                "label", List.of("team:compliance"),
                "trigger", List.of("schedule")));
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0)).contains("RETRIES", "RECOVERED", "CANCELLED");
    assertThat(lines.get(1)).startsWith("kyc ").contains("2 completed", "3 succeeded");
    assertThat(lines.get(2)).startsWith("  each ").contains("2 succeeded");
    assertThat(lines.get(3)).startsWith("  lookup ").contains("1 succeeded");
    assertThat(lines.get(4)).startsWith("TOTAL ");
    assertThat(result.out())
        .contains("Approvals decided:\n")
        .containsPattern("2026-11-02 09:30:00 +approved +lee +run_1 +sign +evidence seen\n");
  }
}
