package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What actions may do with what reaches them: parameters are data, never code; http actions do not
 * reach internal addresses unless allowed; secrets never show.
 */
class ActionSafetyTest {

  private static void define(ApiClient api, String yaml) {
    String name =
        yaml.lines()
            .filter(l -> l.startsWith("name:"))
            .findFirst()
            .orElseThrow()
            .substring(5)
            .trim();
    ApiClient.Response r = api.putYaml("/api/actions/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private static String trigger(ApiClient api, String action, Map<String, ?> parameters) {
    ApiClient.Response r =
        api.post("/api/actions/" + action + "/trigger", Map.of("parameters", parameters));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  /** The lines the attempt wrote to one stream, in order. */
  private static List<String> logLines(ApiClient api, String runId, String task, String stream) {
    String text = api.get("/api/runs/" + runId + "/tasks/" + task + "/logs").text();
    return text.lines()
        .map(l -> l.split(" ", 3))
        .filter(p -> p.length >= 2 && p[1].equals(stream))
        .map(p -> p.length == 3 ? p[2] : "")
        .toList();
  }

  @Test
  void shell_metacharacters_in_parameters_reach_the_command_as_literal_single_arguments() {
    Path marker = Path.of(System.getProperty("java.io.tmpdir"), "rl-inject-" + UUID.randomUUID());
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("a", "$(touch " + marker + ")");
    inputs.put("b", "`touch " + marker + "`");
    inputs.put("c", "; touch " + marker);
    inputs.put("d", "| touch " + marker);
    inputs.put("e", "x\ntouch " + marker);
    inputs.put("f", "--option=value");
    inputs.put("g", "&& touch " + marker + " #");
    inputs.put("h", "${IFS}touch${IFS}" + marker);
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient api = server.admin();
      define(
          api,
          """
          kind: action
          name: echo-args
          inputs:
            type: object
            properties: {a: {type: string}, b: {type: string}, c: {type: string}, d: {type: string},
                         e: {type: string}, f: {type: string}, g: {type: string}, h: {type: string}}
          command:
            run: [printf, '<%s>\\n', "${{ inputs.a }}", "${{ inputs.b }}", "${{ inputs.c }}",
                  "${{ inputs.d }}", "${{ inputs.e }}", "${{ inputs.f }}", "${{ inputs.g }}",
                  "${{ inputs.h }}"]
          """);
      String id = trigger(api, "echo-args", inputs);
      JsonNode run = Runs.awaitTerminal(api, id);
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");

      // one <...> per argument: each input arrived whole, as one argument, unchanged
      String expected =
          String.join("\n", inputs.values().stream().map(v -> "<" + v + ">").toList());
      assertThat(logLines(api, id, "echo-args", "stdout"))
          .containsExactlyElementsOf(Arrays.asList(expected.split("\n")));
      assertThat(marker).doesNotExist();
    } finally {
      try {
        Files.deleteIfExists(marker);
      } catch (java.io.IOException e) {
        // nothing to clean
      }
    }
  }

  @Test
  void a_template_in_the_code_of_an_interpreter_is_refused_at_save_time() {
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient api = server.admin();
      for (String run :
          List.of(
              "[bash, -c, \"echo ${{ inputs.t }}\"]",
              "[sh, -ec, \"echo ${{ inputs.t }}\"]",
              "[/usr/bin/env, python3, -c, \"print('${{ inputs.t }}')\"]")) {
        ApiClient.Response r =
            api.putYaml(
                "/api/actions/inject",
                "kind: action\nname: inject\ninputs: {type: object, properties: {t: {type:"
                    + " string}}}\ncommand:\n  run: "
                    + run
                    + "\n");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        JsonNode error = r.json().get("errors").get(0);
        assertThat(error.get("field").asText()).as(run).matches("command\\.run\\[[23]\\]");
        assertThat(error.get("message").asText()).contains("script:", "env:");
      }
      assertThat(api.get("/api/actions/inject").status()).isEqualTo(404);
    }
  }

  @Test
  void a_command_that_does_not_exist_fails_deterministic_naming_the_command() {
    try (TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient api = server.admin();
      define(
          api,
          """
          kind: action
          name: missing
          command:
            run: [runledger-no-such-command-7f3a, --version]
          retry: {maxAttempts: 3, backoff: 10ms}
          """);
      String id = trigger(api, "missing", Map.of());
      JsonNode run = Runs.awaitTerminal(api, id);
      assertThat(run.get("status").asText()).isEqualTo("failed");
      JsonNode task = api.get("/api/runs/" + id + "/tasks/missing").json();
      assertThat(task.get("status").asText()).isEqualTo("failed");
      assertThat(task.get("failure").get("kind").asText()).isEqualTo("deterministic");
      assertThat(task.get("failure").get("cause").asText())
          .contains("runledger-no-such-command-7f3a");
      assertThat(task.get("attempts")).as("a deterministic failure is not retried").hasSize(1);
    }
  }

  private static String httpAction(String name, String url) {
    return "kind: action\nname: "
        + name
        + "\nhttp:\n  method: GET\n  url: \""
        + url
        + "\"\n  outputs: {auth: \"${{ response.body.auth }}\"}\n";
  }

  private static JsonNode failedTask(ApiClient api, String action) {
    String id = trigger(api, action, Map.of());
    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).as(action).isEqualTo("failed");
    JsonNode task = api.get("/api/runs/" + id + "/tasks/" + action).json();
    assertThat(task.get("failure").get("kind").asText()).as(action).isEqualTo("deterministic");
    return task;
  }

  @Test
  void http_actions_to_metadata_numeric_and_loopback_hosts_fail_and_send_nothing() {
    try (RecordingStub stub = new RecordingStub();
        TestServer server = TestServer.start(StoreKind.SQLITE)) {
      ApiClient api = server.admin();
      define(api, httpAction("metadata", "http://169.254.169.254/latest/meta-data/"));
      define(api, httpAction("numeric", "http://2852039166/latest/meta-data/"));
      define(api, httpAction("loopback-name", "http://localhost:" + stub.port() + "/ping"));
      define(api, httpAction("loopback-ip", "http://127.0.0.1:" + stub.port() + "/ping"));

      assertThat(failedTask(api, "metadata").get("failure").get("cause").asText())
          .contains("169.254.169.254", "refused");
      assertThat(failedTask(api, "numeric").get("failure").get("cause").asText())
          .contains("2852039166", "refused");
      JsonNode byName = failedTask(api, "loopback-name");
      assertThat(byName.get("failure").get("cause").asText()).contains("localhost", "loopback");
      assertThat(byName.get("failure").get("hint").asText()).contains("--allow-http-to");
      assertThat(failedTask(api, "loopback-ip").get("failure").get("cause").asText())
          .contains("127.0.0.1", "loopback");

      assertThat(stub.received()).isEmpty();
    }
  }

  @Test
  void http_actions_reach_a_loopback_service_once_it_is_allowed() {
    try (RecordingStub stub = new RecordingStub();
        TestServer server =
            TestServer.start(StoreKind.SQLITE, c -> c.withHttpAllow("127.0.0.1/32"))) {
      ApiClient api = server.admin();
      define(api, httpAction("loopback-ip", "http://127.0.0.1:" + stub.port() + "/ping"));
      define(api, httpAction("metadata", "http://169.254.169.254/latest/meta-data/"));

      String id = trigger(api, "loopback-ip", Map.of());
      JsonNode run = Runs.awaitTerminal(api, id);
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
      assertThat(stub.received()).extracting(RecordingStub.Received::path).containsExactly("/ping");

      // the allowlist opens that range only
      assertThat(failedTask(api, "metadata").get("failure").get("cause").asText())
          .contains("169.254.169.254");
    }
  }

  @Test
  void secret_values_never_show_in_logs_outputs_tasks_failures_audit_or_listings() {
    String secret = "s3cr3t-" + UUID.randomUUID();
    try (RecordingStub stub = new RecordingStub();
        TestServer server =
            TestServer.start(StoreKind.SQLITE, c -> c.withHttpAllow("127.0.0.1/32"))) {
      ApiClient api = server.admin();
      ApiClient.Response put = api.put("/api/secrets/API_KEY", Map.of("value", secret));
      assertThat(put.status()).as(put.text()).isIn(200, 201);
      assertThat(put.text()).doesNotContain(secret);

      define(
          api,
          """
          kind: action
          name: echo-secret
          command:
            run: [bash, -c, 'echo "out $1"; echo "err $1" >&2; echo "token=$1" >> "$RUNLEDGER_OUTPUT"', x, "${{ secrets.API_KEY }}"]
          result: "${{ outputs.token }}"
          """);
      define(
          api,
          """
          kind: action
          name: fail-secret
          command:
            run: [bash, -c, 'echo "boom $1" >&2; exit 3', x, "${{ secrets.API_KEY }}"]
          """);
      define(
          api,
          """
          kind: action
          name: run-secret
          command:
            run: ["${{ secrets.API_KEY }}"]
          """);
      String http =
          "kind: action\nname: %s\nhttp:\n  method: GET\n  url: \"http://127.0.0.1:%d%s\"\n"
              + "  headers: {Authorization: \"Bearer ${{ secrets.API_KEY }}\"}\n"
              + "  outputs: {auth: \"${{ response.body.auth }}\"}\n";
      define(api, http.formatted("call-secret", stub.port(), "/ping"));
      define(api, http.formatted("call-fail", stub.port(), "/fail"));

      String echo = trigger(api, "echo-secret", Map.of());
      assertThat(Runs.awaitTerminal(api, echo).get("status").asText()).isEqualTo("completed");
      assertThat(logLines(api, echo, "echo-secret", "stdout")).contains("out ***");
      assertThat(logLines(api, echo, "echo-secret", "stderr")).contains("err ***");
      JsonNode echoTask = api.get("/api/runs/" + echo + "/tasks/echo-secret").json();
      assertThat(echoTask.get("result").get("outputs").get("token").asText()).isEqualTo("***");

      String fail = trigger(api, "fail-secret", Map.of());
      assertThat(Runs.awaitTerminal(api, fail).get("status").asText()).isEqualTo("failed");
      assertThat(logLines(api, fail, "fail-secret", "stderr")).contains("boom ***");

      String missing = trigger(api, "run-secret", Map.of());
      assertThat(Runs.awaitTerminal(api, missing).get("status").asText()).isEqualTo("failed");
      JsonNode missingTask = api.get("/api/runs/" + missing + "/tasks/run-secret").json();
      assertThat(missingTask.get("failure").get("cause").asText()).contains("***");

      String call = trigger(api, "call-secret", Map.of());
      assertThat(Runs.awaitTerminal(api, call).get("status").asText()).isEqualTo("completed");
      JsonNode callTask = api.get("/api/runs/" + call + "/tasks/call-secret").json();
      assertThat(callTask.get("result").get("outputs").get("auth").asText())
          .isEqualTo("Bearer ***");
      String callFail = trigger(api, "call-fail", Map.of());
      assertThat(Runs.awaitTerminal(api, callFail).get("status").asText()).isEqualTo("failed");

      // the value did reach the service, so the masking above hid something real
      assertThat(stub.received())
          .extracting(RecordingStub.Received::authorization)
          .containsOnly("Bearer " + secret);

      for (String run : List.of(echo, fail, missing, call, callFail)) {
        String runText = api.get("/api/runs/" + run).text();
        String tasks = api.get("/api/runs/" + run + "/tasks").text();
        assertThat(tasks).contains("\"parameters\"");
        String logs = api.get("/api/runs/" + run + "/tasks/" + taskOf(api, run) + "/logs").text();
        String timeline = api.get("/api/runs/" + run + "/audit").text();
        for (String text : List.of(runText, tasks, logs, timeline)) {
          assertThat(text).as(run).doesNotContain(secret);
        }
      }
      assertThat(api.get("/api/audit?limit=500").text()).doesNotContain(secret);
      assertThat(api.get("/api/audit?format=jsonl").text()).doesNotContain(secret);
      assertThat(api.get("/api/audit?format=csv").text()).doesNotContain(secret);
      JsonNode secrets = api.get("/api/secrets").json();
      assertThat(secrets.get("items").findValuesAsText("name")).containsExactly("API_KEY");
      assertThat(secrets.toString()).doesNotContain(secret);
    }
  }

  private static String taskOf(ApiClient api, String runId) {
    return api.get("/api/runs/" + runId + "/tasks").json().get("items").get(0).get("name").asText();
  }
}
