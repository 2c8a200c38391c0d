package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workflows end to end on each store: the KYC review, DAG outcomes, pinning, validation. */
abstract class WorkflowContract {
  private TestServer server;
  private ApiClient api;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store(), c -> c.withHttpAllow("127.0.0.1/32"));
    api = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void put(String kind, String yaml) {
    String name =
        yaml.lines()
            .filter(l -> l.startsWith("name:"))
            .findFirst()
            .orElseThrow()
            .substring(5)
            .trim();
    ApiClient.Response r = api.putYaml("/api/" + kind + "s/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private List<JsonNode> tasks(String runId) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          api.get(
                  "/api/runs/"
                      + runId
                      + "/tasks?limit=500"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      page.get("items").forEach(all::add);
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    return all;
  }

  private static long count(List<JsonNode> tasks, String status) {
    return tasks.stream().filter(t -> t.get("status").asText().equals(status)).count();
  }

  @Test
  void the_weekly_kyc_review_fans_out_retries_transient_failures_and_replays_the_same_week()
      throws Exception {
    ArrayNode accounts = Json.MAPPER.createArrayNode();
    for (int i = 1; i <= 50; i++) {
      ObjectNode a = accounts.addObject();
      a.put("id", "acct-" + i);
      a.put("manager", "manager-" + (i % 4));
      a.put("active", i > 5);
      a.put("daysOverdue", 3);
    }
    Path file = Files.createTempFile("accounts", ".json");
    Files.writeString(file, Json.write(Json.object().set("accounts", accounts)));
    try (MessagingStub stub =
        new MessagingStub(Set.of("acct-10", "acct-20", "acct-30"), Set.of("acct-40"))) {
      put(
          "action",
          """
          kind: action
          name: list-accounts-due
          inputs: {type: object, properties: {source: {type: string}}}
          command:
            run: [cp, "${{ inputs.source }}", "${{ '' }}"]
          """
              .replace("\"${{ '' }}\"", "\"$RUNLEDGER_OUTPUT\"")
              .replace("run: [cp, ", "run: [bash, -c, 'cp \"$1\" \"$RUNLEDGER_OUTPUT\"', x, ")
              .replace(", \"$RUNLEDGER_OUTPUT\"]", "]"));
      put(
          "action",
          """
          kind: action
          name: request-evidence
          inputs:
            type: object
            required: [account, manager]
            properties: {account: {type: string}, manager: {type: string}}
          http:
            method: POST
            url: "%s"
            body: {account: "${{ inputs.account }}", to: "${{ inputs.manager }}"}
            outputs: {requestId: "${{ response.body.id }}"}
          outputsSchema: {type: object, required: [requestId], properties: {requestId: {type: string}}}
          result: "${{ outputs.requestId }}"
          """
              .formatted(stub.url()));
      put(
          "workflow",
          """
          kind: workflow
          name: kyc-review
          inputs: {type: object, properties: {source: {type: string}}}
          steps:
            - id: find-due
              uses: list-accounts-due
              with: {source: "${{ inputs.source }}"}
            - id: request-evidence
              needs: [find-due]
              uses: request-evidence
              forEach: "${{ steps['find-due'].outputs.accounts }}"
              subjectKey: "${{ item.id }}"
              if: "item.active && item.daysOverdue > 0"
              idempotencyKey: "${{ 'kyc:' + item.id + ':' + trigger.isoWeek }}"
              with: {account: "${{ item.id }}", manager: "${{ item.manager }}"}
              retry: {maxAttempts: 3, backoff: 10ms}
          """);
      Map<String, Object> params = Map.of("parameters", Map.of("source", file.toString()));
      ApiClient.Response first = api.post("/api/workflows/kyc-review/trigger", params);
      assertThat(first.status()).as(first.text()).isEqualTo(202);
      JsonNode run = Runs.awaitTerminal(api, first.json().get("id").asText());
      assertThat(run.get("status").asText()).isEqualTo("completed-with-failures");
      assertThat(run.get("workflow").asText()).isEqualTo("kyc-review");
      assertThat(run.get("subjectsMatched").asInt()).isEqualTo(45);
      assertThat(run.get("actionsInvoked").asInt()).isEqualTo(46);
      JsonNode counts = run.get("counts");
      assertThat(counts.get("succeeded").asInt()).isEqualTo(45);
      assertThat(counts.get("failed").asInt()).isEqualTo(1);
      assertThat(counts.get("skipped").asInt()).isEqualTo(5);

      List<JsonNode> tasks = tasks(run.get("id").asText());
      assertThat(tasks).hasSize(51);
      JsonNode retried =
          tasks.stream()
              .filter(t -> t.get("name").asText().equals("request-evidence[acct-10]"))
              .findFirst()
              .orElseThrow();
      assertThat(retried.get("status").asText()).isEqualTo("succeeded");
      assertThat(retried.get("attempts")).hasSize(2);
      assertThat(retried.get("attempts").get(0).get("httpStatus").asInt()).isEqualTo(503);
      assertThat(retried.get("result").get("ref").asText()).isEqualTo("EVR-acct-10");
      assertThat(retried.get("subject").get("key").asText()).isEqualTo("acct-10");
      assertThat(retried.get("idempotencyKey").asText()).matches("kyc:acct-10:\\d{4}-W\\d\\d");
      JsonNode refused =
          tasks.stream()
              .filter(t -> t.get("name").asText().equals("request-evidence[acct-40]"))
              .findFirst()
              .orElseThrow();
      assertThat(refused.get("failure").get("kind").asText()).isEqualTo("deterministic");
      assertThat(refused.get("failure").get("cause").asText()).contains("400");
      assertThat(refused.get("attempts")).hasSize(1);
      JsonNode inactive =
          tasks.stream()
              .filter(t -> t.get("name").asText().equals("request-evidence[acct-3]"))
              .findFirst()
              .orElseThrow();
      assertThat(inactive.get("skipReason").asText()).isEqualTo("condition-false");
      int requestsAfterFirst = stub.received().size();
      assertThat(requestsAfterFirst).isEqualTo(44 + 3 + 1);

      JsonNode again =
          Runs.awaitTerminal(
              api, api.post("/api/workflows/kyc-review/trigger", params).json().get("id").asText());
      List<JsonNode> second = tasks(again.get("id").asText());
      assertThat(count(second, "idempotent-replay")).isEqualTo(44);
      assertThat(count(second, "failed")).isEqualTo(1);
      assertThat(count(second, "skipped")).isEqualTo(5);
      assertThat(again.get("status").asText()).isEqualTo("completed-with-failures");
      // Only the refused account was asked again; none of the 44 saw a second request.
      assertThat(stub.received().size()).isEqualTo(requestsAfterFirst + 1);
      assertThat(stub.requestsFor("acct-40")).isEqualTo(2);
      assertThat(stub.requestsFor("acct-11")).isEqualTo(1);
    }
  }

  private JsonNode task(String runId, String name) {
    return api.get("/api/runs/" + runId + "/tasks/" + name).json();
  }

  private String runOf(String workflow) {
    ApiClient.Response r = api.post("/api/workflows/" + workflow + "/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return Runs.awaitTerminal(api, r.json().get("id").asText()).get("id").asText();
  }

  private List<JsonNode> audit(String runId, String type) {
    List<JsonNode> events = new ArrayList<>();
    for (JsonNode e : api.get("/api/runs/" + runId + "/audit").json().get("items")) {
      if (e.get("type").asText().equals(type)) {
        events.add(e);
      }
    }
    return events;
  }

  /** Two workflows whose steps compute the same key for different actions (issue 17). */
  private void twoActionsOneKey() {
    put(
        "action",
        "kind: action\nname: file-aml-finding\nbuiltin: {log: {message: aml finding filed}}\n");
    put(
        "action",
        "kind: action\nname: create-pir-finding\nbuiltin: {log: {message: pir finding}}\n");
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "workflow",
        """
        kind: workflow
        name: aml
        steps:
          - {id: file, uses: file-aml-finding, idempotencyKey: "${{ 'missing-pir:INC-2007' }}"}
        """);
    put(
        "workflow",
        """
        kind: workflow
        name: pir
        steps:
          - id: open-finding
            uses: create-pir-finding
            idempotencyKey: "${{ 'missing-pir:INC-2007' }}"
          - {id: link, uses: ok, needs: [open-finding]}
        """);
  }

  @Test
  void a_key_reused_by_another_action_fails_with_a_cause_instead_of_replaying_its_effect() {
    twoActionsOneKey();
    String aml = runOf("aml");
    assertThat(task(aml, "file").get("status").asText()).isEqualTo("succeeded");

    String pir = runOf("pir");
    assertThat(api.get("/api/runs/" + pir).json().get("status").asText()).isEqualTo("failed");
    JsonNode refused = task(pir, "open-finding");
    assertThat(refused.get("status").asText()).isEqualTo("failed");
    assertThat(refused.get("result").isNull()).isTrue();
    assertThat(refused.get("replayOf").isNull()).isTrue();
    assertThat(refused.get("attempts")).isEmpty();
    assertThat(refused.get("failure").get("kind").asText()).isEqualTo("deterministic");
    assertThat(refused.get("failure").get("cause").asText())
        .contains("missing-pir:INC-2007")
        .contains("file-aml-finding")
        .contains(aml)
        .contains("create-pir-finding");
    assertThat(refused.get("failure").get("hint").asText()).contains("newKey");
    assertThat(task(pir, "link").get("skipReason").asText()).isEqualTo("upstream-failed");

    // The same key would be refused again: force alone is not enough, and says what is.
    ApiClient.Response forced =
        api.post(
            "/api/runs/" + pir + "/retry", Map.of("tasks", List.of("open-finding"), "force", true));
    assertThat(forced.status()).as(forced.text()).isEqualTo(409);
    assertThat(forced.text()).contains("newKey").contains("file-aml-finding");
    assertThat(api.post("/api/runs/" + pir + "/retry", Map.of("newKey", "yes")).status())
        .isEqualTo(400);
    assertThat(task(pir, "open-finding").get("idempotencyKey").asText())
        .isEqualTo("missing-pir:INC-2007");

    ApiClient.Response rekeyed =
        api.post(
            "/api/runs/" + pir + "/retry",
            Map.of("tasks", List.of("open-finding"), "force", true, "newKey", true));
    assertThat(rekeyed.status()).as(rekeyed.text()).isEqualTo(200);
    JsonNode done = Runs.awaitTerminal(api, pir);
    assertThat(done.get("status").asText()).isEqualTo("completed");
    JsonNode ran = task(pir, "open-finding");
    assertThat(ran.get("status").asText()).isEqualTo("succeeded");
    assertThat(ran.get("idempotencyKey").asText()).isEqualTo(pir + "/open-finding/retry-1");
    assertThat(ran.get("result").get("outputs").get("message").asText()).isEqualTo("pir finding");
    assertThat(ran.get("attempts")).hasSize(1);
    assertThat(task(pir, "link").get("status").asText()).isEqualTo("succeeded");
    // Audited: who, the old key, the new key.
    JsonNode changed = audit(pir, "task.key-changed").get(0);
    assertThat(changed.get("actor").asText()).isEqualTo("admin");
    assertThat(changed.get("taskName").asText()).isEqualTo("open-finding");
    assertThat(changed.get("details").get("from").asText()).isEqualTo("missing-pir:INC-2007");
    assertThat(changed.get("details").get("to").asText()).isEqualTo(pir + "/open-finding/retry-1");
    JsonNode requested = audit(pir, "task.retry-requested").get(0);
    assertThat(requested.get("details").get("newKey").asBoolean()).isTrue();
    assertThat(requested.get("details").get("previousKey").asText())
        .isEqualTo("missing-pir:INC-2007");
    // The other workflow's effect is untouched.
    assertThat(task(aml, "file").get("result").get("outputs").get("message").asText())
        .isEqualTo("aml finding filed");
  }

  @Test
  void a_replay_names_the_task_it_replays_and_holds_across_revisions_of_the_same_action() {
    twoActionsOneKey();
    String first = runOf("aml");
    put(
        "action",
        "kind: action\nname: file-aml-finding\nbuiltin: {log: {message: aml finding v2}}\n");
    String second = runOf("aml");
    assertThat(api.get("/api/runs/" + second).json().get("status").asText()).isEqualTo("completed");
    JsonNode replayed = task(second, "file");
    assertThat(replayed.get("status").asText()).isEqualTo("idempotent-replay");
    assertThat(replayed.get("actionRevision").asInt()).isEqualTo(2);
    assertThat(replayed.get("result").get("outputs").get("message").asText())
        .isEqualTo("aml finding filed");
    assertThat(replayed.get("replayOf").get("runId").asText()).isEqualTo(first);
    assertThat(replayed.get("replayOf").get("taskName").asText()).isEqualTo("file");
    String href = replayed.get("replayOf").get("href").asText();
    assertThat(api.get(href).json().get("status").asText()).isEqualTo("succeeded");
    JsonNode moved =
        audit(second, "task.status-changed").stream()
            .filter(e -> e.get("details").get("to").asText().equals("idempotent-replay"))
            .findFirst()
            .orElseThrow();
    assertThat(moved.get("details").get("replayOf").get("runId").asText()).isEqualTo(first);
    assertThat(task(first, "file").get("replayOf").isNull()).isTrue();
  }

  @Test
  void a_failed_middle_step_skips_its_dependents_and_fails_the_run() {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put("action", "kind: action\nname: boom\nbuiltin: {fail: {cause: broken on purpose}}\n");
    put(
        "workflow",
        """
        kind: workflow
        name: chain
        steps:
          - {id: a, uses: ok}
          - {id: b, uses: boom, needs: [a]}
          - {id: c, uses: ok, needs: [b]}
          - {id: d, uses: ok, needs: [c]}
        """);
    String id = api.post("/api/workflows/chain/trigger", Map.of()).json().get("id").asText();
    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).isEqualTo("failed");
    List<JsonNode> tasks = tasks(id);
    assertThat(tasks)
        .extracting(t -> t.get("name").asText() + ":" + t.get("status").asText())
        .containsExactly("a:succeeded", "b:failed", "c:skipped", "d:skipped");
    assertThat(tasks.get(2).get("skipReason").asText()).isEqualTo("upstream-failed");
    assertThat(tasks.get(1).get("failure").get("cause").asText()).isEqualTo("broken on purpose");
  }

  @Test
  void continue_on_error_lets_dependents_run_and_step_outputs_flow_downstream() {
    put(
        "action",
        """
        kind: action
        name: emit-number
        inputs: {type: object, properties: {n: {type: integer}}}
        command:
          run: [bash, -c, 'echo "{\\"n\\": $1}" > "$RUNLEDGER_OUTPUT"; [ "$1" != 2 ]', x, "${{ string(inputs.n) }}"]
        """);
    put(
        "action",
        """
        kind: action
        name: sum
        inputs: {type: object, properties: {values: {type: array}}}
        builtin: {log: {message: "${{ inputs.values }}"}}
        """);
    put(
        "workflow",
        """
        kind: workflow
        name: numbers
        steps:
          - id: each
            uses: emit-number
            forEach: "${{ [1, 2, 3] }}"
            with: {n: "${{ item }}"}
            continueOnError: true
          - id: total
            uses: sum
            needs: [each]
            with: {values: "${{ steps.each.outputs.map(o, o.n) }}"}
        """);
    String id = api.post("/api/workflows/numbers/trigger", Map.of()).json().get("id").asText();
    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).isEqualTo("completed-with-failures");
    JsonNode total = api.get("/api/runs/" + id + "/tasks/total").json();
    assertThat(total.get("status").asText()).isEqualTo("succeeded");
    assertThat(total.get("parameters").get("values").toString()).isEqualTo("[1,3]");
  }

  @Test
  void a_trigger_by_hash_runs_the_old_revision_after_the_workflow_changed() {
    put(
        "action",
        "kind: action\nname: say\ninputs: {type: object, properties: {m: {type: string}}}\nbuiltin: {log: {message: \"${{ inputs.m }}\"}}\n");
    put(
        "workflow",
        "kind: workflow\nname: greet\nsteps:\n  - {id: s, uses: say, with: {m: old}}\n");
    String oldHash = api.get("/api/workflows/greet").json().get("definitionHash").asText();
    put(
        "workflow",
        "kind: workflow\nname: greet\nsteps:\n  - {id: s, uses: say, with: {m: new}}\n");
    ApiClient.Response pinned =
        api.post("/api/workflows/by-hash/" + oldHash + "/trigger", Map.of());
    assertThat(pinned.status()).as(pinned.text()).isEqualTo(202);
    JsonNode run = Runs.awaitTerminal(api, pinned.json().get("id").asText());
    assertThat(run.get("revision").asInt()).isEqualTo(1);
    assertThat(run.get("definitionHash").asText()).isEqualTo(oldHash);
    JsonNode task = api.get("/api/runs/" + run.get("id").asText() + "/tasks/s").json();
    assertThat(task.get("parameters").get("m").asText()).isEqualTo("old");
    JsonNode latest =
        Runs.awaitTerminal(
            api, api.post("/api/workflows/greet/trigger", Map.of()).json().get("id").asText());
    assertThat(latest.get("revision").asInt()).isEqualTo(2);
    assertThat(
            api.post("/api/workflows/by-hash/sha256:" + "0".repeat(64) + "/trigger", Map.of())
                .status())
        .isEqualTo(404);
  }

  @Test
  void a_child_workflow_runs_as_a_step_and_its_outcome_ends_the_step() {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put("workflow", "kind: workflow\nname: inner\nsteps:\n  - {id: x, uses: ok}\n");
    put(
        "workflow",
        "kind: workflow\nname: outer\nsteps:\n  - {id: call, uses: 'workflow:inner'}\n  - {id: after, uses: ok, needs: [call]}\n");
    String id = api.post("/api/workflows/outer/trigger", Map.of()).json().get("id").asText();
    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).isEqualTo("completed");
    JsonNode call = api.get("/api/runs/" + id + "/tasks/call").json();
    String child = call.get("result").get("ref").asText();
    JsonNode childRun = api.get("/api/runs/" + child).json();
    assertThat(childRun.get("parentRun").asText()).isEqualTo(id);
    assertThat(childRun.get("parentTask").asText()).isEqualTo("call");
    assertThat(childRun.get("status").asText()).isEqualTo("completed");
  }

  @Test
  void save_time_validation_names_the_field_for_each_kind_of_mistake() {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    Map<String, String> cases =
        Map.of(
            "steps[0].uses", "kind: workflow\nname: w1\nsteps:\n  - {id: a, uses: nope}\n",
            "steps[1].needs[0]",
                "kind: workflow\nname: w2\nsteps:\n  - {id: a, uses: ok}\n  - {id: b, uses: ok, needs: [zz]}\n",
            "steps[1].id",
                "kind: workflow\nname: w3\nsteps:\n  - {id: a, uses: ok}\n  - {id: a, uses: ok}\n",
            "steps[0].if",
                "kind: workflow\nname: w4\nsteps:\n  - {id: a, uses: ok, if: 'inputs.x +'}\n");
    cases.forEach(
        (field, yaml) -> {
          String name =
              yaml.lines()
                  .filter(l -> l.startsWith("name:"))
                  .findFirst()
                  .orElseThrow()
                  .substring(5)
                  .trim();
          ApiClient.Response r = api.putYaml("/api/workflows/" + name, yaml);
          assertThat(r.status()).as(yaml).isEqualTo(400);
          assertThat(r.json().get("errors").findValuesAsText("field")).as(r.text()).contains(field);
        });
    ApiClient.Response cycle =
        api.putYaml(
            "/api/workflows/w5",
            "kind: workflow\nname: w5\nsteps:\n  - {id: a, uses: ok, needs: [b]}\n  - {id: b, uses: ok, needs: [a]}\n");
    assertThat(cycle.status()).isEqualTo(400);
    assertThat(cycle.text()).contains("cycle");
    assertThat(api.get("/api/workflows/w5").status()).isEqualTo(404);
  }

  @Test
  void a_definition_with_several_mistakes_reports_them_all_at_once() {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    ApiClient.Response r =
        api.putYaml(
            "/api/workflows/several",
            """
            kind: workflow
            name: several
            steps:
              - {id: a, uses: ok, if: 'inputs.x +'}
              - {id: b, uses: no-such-action, needs: [a]}
              - {id: c, uses: "workflow:no-such-workflow", needs: [zz]}
              - {id: d, uses: ok, unknown: 1}
            """);
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().get("errors").findValuesAsText("field"))
        .as(r.text())
        .containsExactlyInAnyOrder(
            "steps[0].if",
            "steps[1].uses",
            "steps[2].uses",
            "steps[2].needs[0]",
            "steps[3].unknown");
    assertThat(r.text()).contains("no action named no-such-action", "no workflow named");
    assertThat(api.get("/api/workflows/several").status()).isEqualTo(404);
  }

  @Test
  void a_duplicate_subject_key_or_a_forEach_that_is_not_a_list_fails_the_step_with_a_cause() {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "workflow",
        "kind: workflow\nname: dup\nsteps:\n  - {id: f, uses: ok, forEach: \"${{ [{'id': 'a'}, {'id': 'a'}] }}\"}\n");
    put(
        "workflow",
        "kind: workflow\nname: notlist\nsteps:\n  - {id: f, uses: ok, forEach: \"${{ {'a': 1} }}\"}\n");
    JsonNode dup =
        Runs.awaitTerminal(
            api, api.post("/api/workflows/dup/trigger", Map.of()).json().get("id").asText());
    assertThat(dup.get("status").asText()).isEqualTo("failed");
    JsonNode task = api.get("/api/runs/" + dup.get("id").asText() + "/tasks/f").json();
    assertThat(task.get("failure").get("kind").asText()).isEqualTo("deterministic");
    assertThat(task.get("failure").get("cause").asText()).contains("duplicate subject key 'a'");
    JsonNode notList =
        Runs.awaitTerminal(
            api, api.post("/api/workflows/notlist/trigger", Map.of()).json().get("id").asText());
    JsonNode t2 = api.get("/api/runs/" + notList.get("id").asText() + "/tasks/f").json();
    assertThat(t2.get("failure").get("cause").asText()).contains("not a list");
  }

  private int tasksSoFar(String runId) {
    int total = 0;
    for (JsonNode n : api.get("/api/runs/" + runId).json().get("counts")) {
      total += n.asInt();
    }
    return total;
  }

  @Test
  void a_fan_out_known_at_trigger_past_the_subject_limits_is_400_naming_the_parameter() {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "workflow",
        """
        kind: workflow
        name: wide
        inputs: {type: object, properties: {n: {type: integer}}}
        steps:
          - {id: each, uses: ok, forEach: "${{ lists.range(inputs.n) }}"}
        """);
    put(
        "workflow",
        """
        kind: workflow
        name: twice
        inputs: {type: object, properties: {n: {type: integer}}}
        steps:
          - {id: one, uses: ok, forEach: "${{ lists.range(inputs.n) }}"}
          - {id: two, uses: ok, needs: [one], forEach: "${{ lists.range(inputs['n']) }}"}
        """);
    long start = System.nanoTime();
    ApiClient.Response wide =
        api.post("/api/workflows/wide/trigger", Map.of("parameters", Map.of("n", 2_000_000)));
    assertThat(wide.status()).as(wide.text()).isEqualTo(400);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    JsonNode error = wide.json().get("errors").get(0);
    assertThat(error.get("field").asText()).isEqualTo("parameters.n");
    assertThat(error.get("message").asText())
        .isEqualTo(
            "step each would fan out to 2000000 subjects, more than the limit of 1000000"
                + " subjects per step");

    ApiClient.Response twice =
        api.post("/api/workflows/twice/trigger", Map.of("parameters", Map.of("n", 600_000)));
    assertThat(twice.status()).as(twice.text()).isEqualTo(400);
    assertThat(twice.json().get("errors").get(0).get("field").asText()).isEqualTo("parameters.n");
    assertThat(twice.json().get("errors").get(0).get("message").asText())
        .contains("step two would bring the run to 1200000 tasks")
        .contains("limit of 1000000 subjects per run");
    assertThat(api.get("/api/runs").json().get("items")).isEmpty();
    assertThat(api.get("/api/audit?type=run.created").json().get("items")).isEmpty();

    ApiClient.Response fits =
        api.post("/api/workflows/wide/trigger", Map.of("parameters", Map.of("n", 3)));
    assertThat(fits.status()).isEqualTo(202);
    JsonNode run = Runs.awaitTerminal(api, fits.json().get("id").asText());
    assertThat(run.get("status").asText()).isEqualTo("completed");
    assertThat(run.get("counts").get("succeeded").asInt()).isEqualTo(3);
  }

  @Test
  void a_fan_out_known_only_later_past_the_limit_fails_its_step_naming_the_limit() {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "action",
        """
        kind: action
        name: count
        command:
          run: [bash, -c, 'echo "n=2000000" >> "$RUNLEDGER_OUTPUT"']
        """);
    put(
        "workflow",
        """
        kind: workflow
        name: later
        steps:
          - {id: gen, uses: count}
          - {id: each, uses: ok, needs: [gen], forEach: "${{ lists.range(int(steps.gen.outputs.n)) }}"}
          - {id: after, uses: ok, needs: [each]}
        """);
    String id = api.post("/api/workflows/later/trigger", Map.of()).json().get("id").asText();
    JsonNode run = Runs.awaitTerminal(api, id);
    assertThat(run.get("status").asText()).isEqualTo("failed");
    JsonNode each = api.get("/api/runs/" + id + "/tasks/each").json();
    assertThat(each.get("status").asText()).isEqualTo("failed");
    assertThat(each.get("failure").get("kind").asText()).isEqualTo("deterministic");
    assertThat(each.get("failure").get("cause").asText())
        .isEqualTo(
            "step each would fan out to 2000000 subjects, more than the limit of 1000000"
                + " subjects per step");
    assertThat(api.get("/api/runs/" + id + "/tasks/after").json().get("skipReason").asText())
        .isEqualTo("upstream-failed");
  }

  @Test
  void an_expression_past_the_expression_limits_fails_its_task_naming_the_expression() {
    put(
        "action",
        """
        kind: action
        name: say
        inputs: {type: object, properties: {text: {type: string}}}
        builtin: {noop: {}}
        """);
    put(
        "workflow",
        """
        kind: workflow
        name: grow
        steps:
          - id: big
            uses: say
            with: {text: "${{ 'a'.replace('a', 'aaaaaaaaaa').replace('a', 'aaaaaaaaaa').replace('a', 'aaaaaaaaaa').replace('a', 'aaaaaaaaaa').replace('a', 'aaaaaaaaaa').replace('a', 'aaaaaaaaaa').replace('a', 'aaaaaaaaaa') }}"}
        """);
    String id = api.post("/api/workflows/grow/trigger", Map.of()).json().get("id").asText();
    assertThat(Runs.awaitTerminal(api, id).get("status").asText()).isEqualTo("failed");
    JsonNode failure = api.get("/api/runs/" + id + "/tasks/big").json().get("failure");
    assertThat(failure.get("kind").asText()).isEqualTo("deterministic");
    assertThat(failure.get("cause").asText())
        .contains("in `${{ 'a'.replace(")
        .contains("replace would be 10000000 characters long, more than the limit of 1048576");
  }

  @Test
  void an_unrelated_trigger_is_not_held_up_while_a_large_fan_out_is_evaluated() throws Exception {
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    // Each subject key takes a small comprehension: the whole list takes seconds to evaluate.
    put(
        "workflow",
        """
        kind: workflow
        name: big
        inputs: {type: object, properties: {n: {type: integer}}}
        steps:
          - id: each
            uses: ok
            forEach: "${{ lists.range(inputs.n) }}"
            subjectKey: "${{ string(lists.range(60).filter(i, i <= item % 60).size()) + '-' + string(item) }}"
        """);
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      long start = System.nanoTime();
      Future<ApiClient.Response> big =
          background.submit(
              () ->
                  api.post(
                      "/api/workflows/big/trigger", Map.of("parameters", Map.of("n", 16_000))));
      Thread.sleep(300);
      long before = System.nanoTime();
      ApiClient.Response unrelated = api.post("/api/actions/ok/trigger", Map.of());
      Duration waited = Duration.ofNanos(System.nanoTime() - before);
      assertThat(unrelated.status()).isEqualTo(202);
      String bigId = big.get(60, TimeUnit.SECONDS).json().get("id").asText();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> tasksSoFar(bigId) > 0);
      Duration planned = Duration.ofNanos(System.nanoTime() - start);
      assertThat(planned)
          .as("evaluating the fan-out takes long enough to tell a wait behind it")
          .isGreaterThan(Duration.ofMillis(1500));
      assertThat(waited.multipliedBy(3))
          .as("the unrelated trigger waited %s while the fan-out took %s", waited, planned)
          .isLessThan(planned);
      assertThat(api.post("/api/runs/" + bigId + "/cancel", Map.of()).status()).isEqualTo(200);
      assertThat(Runs.awaitTerminal(api, bigId).get("status").asText()).isEqualTo("cancelled");
    } finally {
      background.shutdownNow();
    }
  }
}
