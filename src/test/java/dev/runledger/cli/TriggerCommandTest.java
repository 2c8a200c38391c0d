package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.cli.StubServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TriggerCommandTest {
  static final String ACCEPTED =
      "{\"id\":\"run_01\",\"status\":\"pending\",\"workflow\":\"kyc-review\",\"revision\":3}";

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
  void sends_typed_parameters_labels_and_idempotency_key_and_prints_the_run_id() {
    server.on("POST", "/api/workflows/kyc-review/trigger", Answer.json(202, ACCEPTED));

    CliHarness.Result result =
        CliHarness.run(
            server,
            "trigger",
            "kyc-review",
            "-p",
            "dueDays=14",
            "-p",
            "flag=true",
            "-p",
            "manager=lee",
            "-p",
            "ratio=0.5",
            "-p",
            "accounts=[\"a\",\"b\"]",
            "-p",
            "code=007",
            "-p",
            "note=14 days",
            "-p",
            "empty=",
            "--label",
            "team=compliance",
            "--idempotency-key",
            "kyc-2026-W47");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("run_01\n");
    StubServer.Request request = server.only("POST", "/api/workflows/kyc-review/trigger");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + CliHarness.TOKEN);
    assertThat(request.header("Idempotency-Key")).isEqualTo("kyc-2026-W47");
    JsonNode body = request.json();
    JsonNode p = body.get("parameters");
    assertThat(p.get("dueDays").isInt()).isTrue();
    assertThat(p.get("dueDays").asInt()).isEqualTo(14);
    assertThat(p.get("flag").isBoolean()).isTrue();
    assertThat(p.get("manager").isTextual()).isTrue();
    assertThat(p.get("ratio").asDouble()).isEqualTo(0.5);
    assertThat(p.get("accounts").isArray()).isTrue();
    assertThat(p.get("accounts").size()).isEqualTo(2);
    assertThat(p.get("code").asText()).isEqualTo("007");
    assertThat(p.get("code").isTextual()).isTrue();
    assertThat(p.get("note").asText()).isEqualTo("14 days");
    assertThat(p.get("empty").asText()).isEmpty();
    assertThat(body.get("labels").get("team").asText()).isEqualTo("compliance");
  }

  @Test
  void falls_back_to_the_action_route_when_no_workflow_has_the_name() {
    server.on(
        "POST",
        "/api/actions/hello/trigger",
        Answer.json(202, "{\"id\":\"run_02\",\"status\":\"pending\"}"));

    CliHarness.Result result = CliHarness.run(server, "trigger", "hello", "-p", "n=1");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("run_02\n");
    assertThat(server.requests())
        .extracting(StubServer.Request::path)
        .containsExactly("/api/workflows/hello/trigger", "/api/actions/hello/trigger");
    assertThat(server.only("POST", "/api/actions/hello/trigger").json().toString())
        .isEqualTo("{\"parameters\":{\"n\":1}}");
  }

  @Test
  void action_flag_goes_straight_to_the_action_route() {
    server.on(
        "POST",
        "/api/actions/hello/trigger",
        Answer.json(202, "{\"id\":\"run_03\",\"status\":\"pending\"}"));

    CliHarness.Result result = CliHarness.run(server, "trigger", "--action", "hello");

    assertThat(result.exitCode()).isZero();
    assertThat(server.requests())
        .extracting(StubServer.Request::path)
        .containsExactly("/api/actions/hello/trigger");
  }

  @Test
  void workflow_flag_does_not_fall_back() {
    CliHarness.Result result = CliHarness.run(server, "trigger", "--workflow", "hello");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).startsWith("error: 404 Not Found");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void names_both_kinds_when_neither_exists() {
    CliHarness.Result result = CliHarness.run(server, "trigger", "nothing");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err())
        .isEqualTo("error: 404 Not Found: no workflow or action named 'nothing'\n");
  }

  @Test
  void a_validation_failure_prints_the_problem_and_its_field_errors() {
    server.on(
        "POST",
        "/api/workflows/kyc-review/trigger",
        Answer.problem(
            400,
            "{\"type\":\"https://runledger.dev/problems/validation\",\"title\":\"Bad Request\","
                + "\"status\":400,\"detail\":\"parameters failed validation\","
                + "\"errors\":[{\"field\":\"parameters.dueDays\",\"message\":\"must be >= 1\"}]}"));

    CliHarness.Result result = CliHarness.run(server, "trigger", "kyc-review", "-p", "dueDays=0");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.REJECTED);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "error: 400 Bad Request: parameters failed validation\n"
                + "  parameters.dueDays: must be >= 1\n");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void rate_limit_and_malformed_parameters_are_reported_plainly() {
    server.on(
        "POST",
        "/api/workflows/w/trigger",
        Answer.problem(
                429,
                "{\"title\":\"Too Many Requests\",\"status\":429,"
                    + "\"detail\":\"trigger limit reached; retry in 12 s\"}")
            .withHeader("Retry-After", "12"));

    assertThat(CliHarness.run(server, "trigger", "w").err())
        .isEqualTo("error: 429 Too Many Requests: trigger limit reached; retry in 12 s\n");

    CliHarness.Result bad = CliHarness.run(server, "trigger", "w", "-p", "novalue");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).isEqualTo("error: -p 'novalue' must have the form key=value\n");
  }
}
