package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientBasicsTest {
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
  void a_missing_server_is_named_without_a_stack_trace() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    CliHarness.Result result = CliHarness.run(CliHarness.env(Map.of("RUNLEDGER_URL", url)), "runs");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(result.err())
        .isEqualTo(
            "error: cannot connect to Runledger at "
                + url
                + ": connection refused; is the server running? (set RUNLEDGER_URL or --url)\n");
  }

  @Test
  void options_override_the_environment() {
    server.on("GET", "/api/approvals", Answer.json(200, "{\"items\":[],\"nextCursor\":null}"));
    ClientEnvironment env =
        CliHarness.env(Map.of("RUNLEDGER_URL", "http://127.0.0.1:1", "RUNLEDGER_TOKEN", "env"));

    CliHarness.Result result =
        CliHarness.run(env, "approvals", "--url", server.url() + "/", "--token", "opt");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("no approvals\n");
    assertThat(server.only("GET", "/api/approvals").header("Authorization"))
        .isEqualTo("Bearer opt");
  }

  @Test
  void without_a_token_no_authorization_is_sent_and_401_says_how_to_fix_it() {
    server.on(
        "GET",
        "/api/audit/verify",
        Answer.problem(
            401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"missing token\"}"));

    CliHarness.Result result =
        CliHarness.run(CliHarness.env(Map.of("RUNLEDGER_URL", server.url())), "audit", "verify");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.DENIED);
    assertThat(result.err())
        .isEqualTo(
            "error: 401 Unauthorized: missing token\n"
                + "  (set RUNLEDGER_TOKEN or pass --token with a valid API token)\n");
    assertThat(server.only("GET", "/api/audit/verify").header("Authorization")).isNull();
  }

  @Test
  void an_error_that_is_not_problem_json_still_reads_clearly() {
    server.on(
        "GET", "/api/runs", new Answer(502, "text/html", "<html>bad gateway</html>", Map.of()));

    CliHarness.Result result = CliHarness.run(server, "runs");

    assertThat(result.err()).isEqualTo("error: 502 Bad Gateway\n");
  }

  @Test
  void config_is_built_from_a_map() {
    ClientConfig config =
        ClientConfig.fromEnvironment(
            Map.of("RUNLEDGER_URL", "https://rl.example/base/", "RUNLEDGER_TOKEN", "t"));
    assertThat(config.baseUrl().toString()).isEqualTo("https://rl.example/base");
    assertThat(config.token()).isEqualTo("t");
    assertThat(ClientConfig.fromEnvironment(Map.of()).baseUrl().toString())
        .isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void audit_verify_exits_one_when_the_chain_is_broken() {
    server.on(
        "GET",
        "/api/audit/verify",
        Answer.json(
            200,
            "{\"ok\":true,\"events\":1234,\"headHash\":\"sha256:ab\",\"firstInvalidSeq\":null}"),
        Answer.json(
            200,
            "{\"ok\":false,\"events\":1234,\"headHash\":\"sha256:ab\",\"firstInvalidSeq\":57}"));

    CliHarness.Result ok = CliHarness.run(server, "audit", "verify");
    CliHarness.Result broken = CliHarness.run(server, "audit", "verify");

    assertThat(ok.exitCode()).isZero();
    assertThat(ok.out()).isEqualTo("ok: 1234 events, head sha256:ab\n");
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.out())
        .isEqualTo("audit trail INVALID: first invalid event seq 57 (1234 events checked)\n");
  }

  @Test
  void audit_export_streams_the_answer() {
    server.on(
        "GET", "/api/audit", Answer.text("application/x-ndjson", "{\"seq\":1}\n{\"seq\":2}\n"));

    CliHarness.Result result =
        CliHarness.run(server, "audit", "export", "--since", "1d", "--format", "jsonl");

    assertThat(result.out()).isEqualTo("{\"seq\":1}\n{\"seq\":2}\n");
    assertThat(server.only("GET", "/api/audit").query())
        .isEqualTo(
            Map.of(
                "since", java.util.List.of("2026-11-20T07:00:00.000000Z"),
                "format", java.util.List.of("jsonl"),
                "order", java.util.List.of("asc")));
  }

  @Test
  void audit_export_asks_for_oldest_first_as_its_help_says_unless_told_otherwise() {
    server.on("GET", "/api/audit", Answer.text("application/x-ndjson", "{\"seq\":2}\n"));

    CliHarness.Result desc = CliHarness.run(server, "audit", "export", "--order", "desc");
    CliHarness.Result bad = CliHarness.run(server, "audit", "export", "--order", "newest");

    assertThat(desc.exitCode()).as(desc.err()).isZero();
    assertThat(server.only("GET", "/api/audit").query())
        .containsEntry("order", java.util.List.of("desc"));
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("--order must be asc or desc");
    assertThat(CliHarness.run(server, "audit", "export", "--help").out()).contains("oldest first");
  }

  @Test
  void approvals_decide_with_a_comment() {
    server
        .on(
            "GET",
            "/api/approvals",
            Answer.json(
                200,
                "{\"items\":[{\"id\":\"apr_1\",\"runId\":\"run_1\",\"taskName\":\"pay\","
                    + "\"role\":\"approver\",\"state\":\"pending\"}],\"nextCursor\":null}"))
        .on(
            "POST",
            "/api/approvals/apr_1/reject",
            Answer.json(200, "{\"id\":\"apr_1\",\"state\":\"rejected\"}"));

    CliHarness.Result list = CliHarness.run(server, "approvals", "--pending");
    CliHarness.Result reject =
        CliHarness.run(server, "approvals", "reject", "apr_1", "--comment", "wrong amount");

    assertThat(server.only("GET", "/api/approvals").rawQuery()).isEqualTo("state=pending");
    assertThat(list.out()).contains("apr_1  run_1  pay   approver  pending");
    assertThat(reject.out()).isEqualTo("apr_1 rejected\n");
    assertThat(server.only("POST", "/api/approvals/apr_1/reject").json().toString())
        .isEqualTo("{\"comment\":\"wrong amount\"}");
  }

  @Test
  void approving_an_approval_already_rejected_says_so_and_exits_6() {
    server.on(
        "POST",
        "/api/approvals/apr_1/approve",
        Answer.json(200, "{\"id\":\"apr_1\",\"state\":\"rejected\"}"));

    CliHarness.Result approve = CliHarness.run(server, "approvals", "approve", "apr_1");

    assertThat(approve.exitCode()).isEqualTo(ExitCodes.REJECTED);
    assertThat(approve.out()).isEqualTo("apr_1 rejected\n");
    assertThat(approve.err()).isEqualTo("approval apr_1 was already rejected; nothing changed\n");
  }

  @Test
  void token_create_prints_the_id_and_the_value_once() {
    server.on(
        "POST",
        "/api/tokens",
        Answer.json(
            201,
            "{\"id\":\"tok_1\",\"name\":\"ci\",\"role\":\"operator\",\"projects\":[\"ops\"],"
                + "\"token\":\"rl_secret\"}"));

    CliHarness.Result result =
        CliHarness.run(
            server, "token", "create", "--name", "ci", "--role", "operator", "--project", "ops");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("id:    tok_1\n").contains("token: rl_secret\n");
    assertThat(server.only("POST", "/api/tokens").json().toString())
        .isEqualTo("{\"name\":\"ci\",\"role\":\"operator\",\"projects\":[\"ops\"]}");
    assertThat(server.only("POST", "/api/tokens").rawQuery()).isNull();
  }

  @Test
  void the_root_takes_server_side_subcommands_and_names_every_command_in_help() {
    @picocli.CommandLine.Command(name = "serve")
    class Serve implements java.util.concurrent.Callable<Integer> {
      @Override
      public Integer call() {
        return 42;
      }
    }
    picocli.CommandLine cli = Cli.commandLine(CliHarness.env(server));
    cli.addSubcommand("serve", new Serve());
    assertThat(cli.getCommandName()).isEqualTo("runledger");
    assertThat(cli.getSubcommands().keySet())
        .containsExactly(
            "apply",
            "definitions",
            "diff",
            "trigger",
            "runs",
            "tasks",
            "approvals",
            "audit",
            "report",
            "events",
            "secrets",
            "schedules",
            "hooks",
            "token",
            "context",
            "completion",
            "serve");
    assertThat(cli.execute("serve")).isEqualTo(42);

    CliHarness.Result help = CliHarness.run(server, "approvals", "approve", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: runledger approvals approve ");
    assertThat(CliHarness.run(server, "--version").out()).isEqualTo("runledger dev\n");
  }
}
