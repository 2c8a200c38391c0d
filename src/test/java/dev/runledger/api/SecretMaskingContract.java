package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A secret put in each field a template can fill, and what the API, the logs, the evidence and the
 * audit trail show of it afterwards: never the value, on each store. The fields of a workflow step
 * (with, if, forEach, subjectKey, idempotencyKey) and of an event trigger's parameters refuse
 * secrets when the definition is saved; trigger parameters and labels are data, never rendered.
 */
abstract class SecretMaskingContract {
  private final String secret = "s3cr3t-" + UUID.randomUUID();
  private TestServer server;
  private ApiClient admin;
  private RecordingStub stub;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    stub = new RecordingStub();
    server = TestServer.start(store(), c -> c.withHttpAllow("127.0.0.1/32"));
    admin = server.admin();
    ApiClient.Response put = admin.put("/api/secrets/API_KEY", Map.of("value", secret));
    assertThat(put.status()).as(put.text()).isIn(200, 201);
  }

  @AfterEach
  void stop() {
    server.close();
    stub.close();
  }

  private void put(String kind, String yaml) {
    ApiClient.Response r = admin.putYaml("/api/" + kind + "s/" + nameOf(yaml), yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private static String nameOf(String yaml) {
    return yaml.lines()
        .filter(l -> l.startsWith("name:"))
        .findFirst()
        .orElseThrow()
        .substring(5)
        .trim();
  }

  private String trigger(String action) {
    ApiClient.Response r = admin.post("/api/actions/" + action + "/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private JsonNode task(String run, String name) {
    return admin.get("/api/runs/" + run + "/tasks/" + name).json();
  }

  @Test
  void a_secret_in_any_templated_field_of_an_action_shows_masked_everywhere() {
    put(
        "action",
        """
        kind: action
        name: http-secret
        http:
          method: POST
          url: "http://127.0.0.1:%d/echo/${{ secrets.API_KEY }}?key=${{ secrets.API_KEY }}"
          headers:
            Authorization: "Bearer ${{ secrets.API_KEY }}"
            X-Custom: "custom ${{ secrets.API_KEY }}"
          body: {value: "${{ secrets.API_KEY }}"}
          outputs:
            path: "${{ response.body.path }}"
            echoed: "${{ response.body.body }}"
        result: "${{ secrets.API_KEY }}"
        """
            .formatted(stub.port()));
    put(
        "action",
        """
        kind: action
        name: command-secret
        command:
          run: [bash, -c, 'echo "arg $1 env $FROM_ENV"; echo "token=$1" >> "$RUNLEDGER_OUTPUT"', x, "${{ secrets.API_KEY }}"]
          env: {FROM_ENV: "${{ secrets.API_KEY }}"}
        result: "${{ 'ref-' + secrets.API_KEY }}"
        """);
    put(
        "action",
        """
        kind: action
        name: log-secret
        builtin: {log: {message: "logged ${{ secrets.API_KEY }}"}}
        result: "${{ outputs.message }}"
        """);
    put(
        "action",
        """
        kind: action
        name: fail-secret
        builtin: {fail: {cause: "failed ${{ secrets.API_KEY }}"}}
        """);
    put(
        "action",
        """
        kind: action
        name: sleep-secret
        builtin: {sleep: {until: "${{ secrets.API_KEY }}"}}
        """);
    put(
        "action",
        """
        kind: action
        name: emit-secret
        builtin:
          emit:
            type: secret.emitted
            data: {v: "${{ secrets.API_KEY }}", nested: ["${{ 'x-' + secrets.API_KEY }}"]}
        """);
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "workflow",
        """
        kind: workflow
        name: on-emitted
        on:
          events: [{type: secret.emitted}]
        steps:
          - {id: one, uses: ok}
        """);

    String http = trigger("http-secret");
    assertThat(Runs.awaitTerminal(admin, http).get("status").asText()).isEqualTo("completed");
    JsonNode httpTask = task(http, "http-secret");
    assertThat(httpTask.get("result").get("ref").asText()).isEqualTo("***");
    assertThat(httpTask.get("result").get("outputs").get("path").asText()).isEqualTo("/echo/***");
    assertThat(httpTask.get("result").get("outputs").get("echoed").asText())
        .isEqualTo("{\"value\":\"***\"}");
    // the request and response are the task's evidence, masked
    JsonNode exchange = httpTask.get("evidence").get("http");
    assertThat(exchange.get("url").asText()).endsWith("/echo/***?key=***");
    assertThat(exchange.get("requestHeaders").get("Authorization").asText()).isEqualTo("***");
    assertThat(exchange.get("requestHeaders").get("X-Custom").asText()).isEqualTo("custom ***");
    assertThat(exchange.get("requestBody").get("excerpt").asText())
        .isEqualTo("{\"value\":\"***\"}");
    assertThat(exchange.get("status").asInt()).isEqualTo(200);
    assertThat(exchange.get("responseHeaders").get("content-type").asText())
        .isEqualTo("application/json");
    assertThat(exchange.get("responseBody").get("excerpt").asText())
        .contains("\"path\":\"/echo/***\"");
    // the value did reach the service in each place, so what is masked above hid something real
    assertThat(stub.received()).hasSize(1);
    RecordingStub.Received received = stub.received().get(0);
    assertThat(received.path()).isEqualTo("/echo/" + secret);
    assertThat(received.query()).isEqualTo("key=" + secret);
    assertThat(received.authorization()).isEqualTo("Bearer " + secret);
    assertThat(received.custom()).isEqualTo("custom " + secret);
    assertThat(received.body()).isEqualTo("{\"value\":\"" + secret + "\"}");

    String command = trigger("command-secret");
    assertThat(Runs.awaitTerminal(admin, command).get("status").asText()).isEqualTo("completed");
    JsonNode commandTask = task(command, "command-secret");
    assertThat(commandTask.get("result").get("ref").asText()).isEqualTo("ref-***");
    assertThat(commandTask.get("result").get("outputs").get("token").asText()).isEqualTo("***");
    assertThat(commandTask.get("evidence").get("command").toString()).contains("\"***\"");
    assertThat(logs(command, "command-secret")).contains("arg *** env ***");

    String log = trigger("log-secret");
    assertThat(Runs.awaitTerminal(admin, log).get("status").asText()).isEqualTo("completed");
    assertThat(task(log, "log-secret").get("result").get("ref").asText()).isEqualTo("logged ***");
    assertThat(logs(log, "log-secret")).contains("logged ***");

    String fail = trigger("fail-secret");
    assertThat(Runs.awaitTerminal(admin, fail).get("status").asText()).isEqualTo("failed");
    assertThat(task(fail, "fail-secret").get("failure").get("cause").asText())
        .isEqualTo("failed ***");

    String sleep = trigger("sleep-secret");
    assertThat(Runs.awaitTerminal(admin, sleep).get("status").asText()).isEqualTo("failed");
    assertThat(task(sleep, "sleep-secret").get("failure").get("cause").asText()).contains("***");

    String emit = trigger("emit-secret");
    assertThat(Runs.awaitTerminal(admin, emit).get("status").asText()).isEqualTo("completed");
    JsonNode emitted = task(emit, "emit-secret").get("result").get("outputs");
    assertThat(emitted.get("runs")).hasSize(1);
    String downstream = emitted.get("runs").get(0).asText();
    JsonNode event = Runs.awaitTerminal(admin, downstream).get("trigger").get("event");
    assertThat(event.get("data").get("v").asText()).isEqualTo("***");
    assertThat(event.get("data").get("nested").get(0).asText()).isEqualTo("x-***");

    List<String> shown = new ArrayList<>();
    for (String run : List.of(http, command, log, fail, sleep, emit, downstream)) {
      shown.add(admin.get("/api/runs/" + run).text());
      shown.add(admin.get("/api/runs/" + run + "/audit").text());
      shown.add(admin.get("/api/runs/" + run + "/files").text());
      for (JsonNode t : admin.get("/api/runs/" + run + "/tasks").json().get("items")) {
        String name = t.get("name").asText();
        shown.add(t.toString());
        shown.add(task(run, name).toString());
        shown.add(logs(run, name));
      }
    }
    shown.add(admin.get("/api/runs?limit=500").text());
    shown.add(admin.get("/api/audit?limit=500").text());
    shown.add(admin.get("/api/audit?format=jsonl").text());
    shown.add(admin.get("/api/jobs").text());
    String encoded = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    for (String text : shown) {
      assertThat(text).doesNotContain(secret).doesNotContain(encoded);
    }
  }

  @Test
  void the_fields_of_a_workflow_step_and_of_an_event_trigger_refuse_secrets() {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("steps[0].with", "with: {v: \"${{ secrets.API_KEY }}\"}");
    fields.put("steps[0].if", "if: \"secrets.API_KEY == 'x'\"");
    fields.put("steps[0].forEach", "forEach: \"${{ [secrets.API_KEY] }}\"");
    fields.put(
        "steps[0].subjectKey",
        "forEach: \"${{ [1] }}\"\n    subjectKey: \"${{ secrets.API_KEY }}\"");
    fields.put("steps[0].idempotencyKey", "idempotencyKey: \"${{ secrets.API_KEY }}\"");
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String yaml =
          """
          kind: workflow
          name: refused
          steps:
            - id: one
              uses: ok
              %s
          """
              .formatted(field.getValue());
      ApiClient.Response r = admin.putYaml("/api/workflows/refused", yaml);
      assertThat(r.status()).as(field.getKey() + ": " + r.text()).isEqualTo(400);
      assertThat(r.json().get("errors").findValuesAsText("field")).contains(field.getKey());
    }
    ApiClient.Response event =
        admin.putYaml(
            "/api/workflows/refused",
            """
            kind: workflow
            name: refused
            on:
              events: [{type: x, parameters: {v: "${{ secrets.API_KEY }}"}}]
            steps:
              - {id: one, uses: ok}
            """);
    assertThat(event.status()).as(event.text()).isEqualTo(400);
    assertThat(event.json().get("errors").findValuesAsText("field"))
        .contains("on.events[0].parameters.v");
    assertThat(admin.get("/api/workflows/refused").status()).isEqualTo(404);

    // trigger parameters and labels are data: a template there stays text and is never rendered
    put(
        "workflow",
        """
        kind: workflow
        name: literal
        inputs: {type: object, properties: {v: {type: string}}}
        steps:
          - {id: one, uses: ok, with: {}}
        """);
    ApiClient.Response started =
        admin.post(
            "/api/workflows/literal/trigger",
            Map.of(
                "parameters",
                Map.of("v", "${{ secrets.API_KEY }}"),
                "labels",
                Map.of("l", "${{ secrets.API_KEY }}")));
    assertThat(started.status()).as(started.text()).isEqualTo(202);
    JsonNode run = Runs.awaitTerminal(admin, started.json().get("id").asText());
    assertThat(run.get("parameters").get("v").asText()).isEqualTo("${{ secrets.API_KEY }}");
    assertThat(run.get("labels").get("l").asText()).isEqualTo("${{ secrets.API_KEY }}");
    assertThat(run.toString()).doesNotContain(secret);
  }

  private String logs(String run, String task) {
    return admin.get("/api/runs/" + run + "/tasks/" + task + "/logs").text();
  }
}
