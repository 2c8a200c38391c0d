package dev.runledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.cli.StubServer.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DefinitionsCommandTest {
  StubServer server;

  @BeforeEach
  void start() throws Exception {
    server = new StubServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String definition(String kind, String name, String description) {
    return "{\"kind\":\""
        + kind
        + "\",\"name\":\""
        + name
        + "\",\"revision\":2,\"definitionHash\":\"sha256:0123456789abcdef0123\","
        + "\"definition\":{\"description\":\""
        + description
        + "\"}}";
  }

  @Test
  void lists_every_page_of_actions_then_workflows() throws Exception {
    server
        .on(
            "GET",
            "/api/actions",
            Answer.json(
                200,
                "{\"items\":["
                    + definition("action", "hello", "Says hello")
                    + "],\"nextCursor\":\"hello\"}"),
            Answer.json(200, "{\"items\":[" + definition("action", "say", "Logs a message") + "]}"))
        .on(
            "GET",
            "/api/workflows",
            Answer.json(
                200, "{\"items\":[" + definition("workflow", "kyc-review", "Weekly") + "]}"));

    CliHarness.Result result = CliHarness.run(server, "definitions");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("KIND")
        .contains("hello")
        .contains("say")
        .contains("kyc-review")
        .contains("sha256:0123456789a")
        .contains("Logs a message");
    assertThat(result.out().indexOf("say")).isLessThan(result.out().indexOf("kyc-review"));
    assertThat(server.requests("GET", "/api/actions").get(1).query().get("cursor"))
        .containsExactly("hello");
  }

  @Test
  void only_one_kind_and_a_wrong_kind_is_refused() throws Exception {
    server.on(
        "GET",
        "/api/workflows",
        Answer.json(200, "{\"items\":[" + definition("workflow", "kyc-review", "Weekly") + "]}"));

    CliHarness.Result workflows = CliHarness.run(server, "definitions", "--kind", "workflow");
    assertThat(workflows.exitCode()).isZero();
    assertThat(workflows.out()).contains("kyc-review");
    assertThat(server.requests("GET", "/api/actions")).isEmpty();

    CliHarness.Result wrong = CliHarness.run(server, "definitions", "--kind", "job");
    assertThat(wrong.exitCode()).as("a usage error").isEqualTo(2);
    assertThat(wrong.err()).contains("--kind must be action or workflow");
  }
}
