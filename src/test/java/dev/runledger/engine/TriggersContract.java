package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import dev.runledger.testing.TickingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Schedules, events, webhooks and the emit built-in, on each store. */
abstract class TriggersContract {
  /** A Monday, half past five in the morning (UTC): the clock starts here. */
  private static final Instant START = Instant.parse("2030-01-07T05:30:00Z");

  private final TickingClock clock = new TickingClock();
  private TestServer server;
  private ApiClient admin;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    setClock(START);
    server = TestServer.start(store(), c -> c, clock);
    admin = server.admin();
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void setClock(Instant to) {
    clock.advance(Duration.between(clock.instant(), to));
  }

  private void put(String kind, String yaml) {
    String name =
        yaml.lines()
            .filter(l -> l.startsWith("name:"))
            .findFirst()
            .orElseThrow()
            .substring(5)
            .trim();
    ApiClient.Response r = admin.putYaml("/api/" + kind + "s/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private void hourly(String name, String missed) {
    put(
        "workflow",
        """
        kind: workflow
        name: %s
        inputs: {type: object, properties: {region: {type: string}}}
        on:
          schedule:
            - {cron: "0 * * * *", parameters: {region: north}, missed: %s}
        steps:
          - {id: one, uses: ok}
        """
            .formatted(name, missed));
  }

  private List<JsonNode> runsOf(String workflow) {
    List<JsonNode> runs = new ArrayList<>();
    admin.get("/api/runs?workflow=" + workflow).json().get("items").forEach(runs::add);
    return runs;
  }

  private List<String> fireTimes(String workflow) {
    return runsOf(workflow).stream()
        .map(r -> r.get("trigger").get("schedule").get("fireTime").asText())
        .sorted()
        .toList();
  }

  // --- schedules -----------------------------------------------------------------------------

  @Test
  void a_schedule_fires_once_per_fire_time_as_the_scheduler_with_the_cron_and_fire_time() {
    hourly("hourly", "skip");
    assertThat(server.node().scheduler().tick()).isZero();

    setClock(Instant.parse("2030-01-07T06:00:05Z"));
    server.node().scheduler().tick();
    server.node().scheduler().tick();
    List<JsonNode> runs = runsOf("hourly");
    assertThat(runs).hasSize(1);
    JsonNode run = Runs.awaitTerminal(admin, runs.get(0).get("id").asText());
    assertThat(run.get("status").asText()).isEqualTo("completed");
    assertThat(run.get("triggeredBy").asText()).isEqualTo("system:scheduler");
    assertThat(run.get("parameters").get("region").asText()).isEqualTo("north");
    JsonNode trigger = run.get("trigger");
    assertThat(trigger.get("type").asText()).isEqualTo("schedule");
    assertThat(trigger.get("source").asText()).isEqualTo("scheduler");
    assertThat(trigger.get("event").isNull()).isTrue();
    assertThat(trigger.get("schedule").get("cron").asText()).isEqualTo("0 * * * *");
    // every timestamp the API writes has six fraction digits, a fired run's too
    assertThat(trigger.get("at").asText()).matches("2030-01-07T06:00:\\d\\d\\.\\d{6}Z");
    assertThat(trigger.get("schedule").get("fireTime").asText())
        .isEqualTo("2030-01-07T06:00:00.000000Z");

    setClock(Instant.parse("2030-01-07T07:00:01Z"));
    server.node().scheduler().tick();
    assertThat(fireTimes("hourly"))
        .containsExactly("2030-01-07T06:00:00.000000Z", "2030-01-07T07:00:00.000000Z");
    assertThat(admin.get("/api/runs?trigger=schedule").json().get("items")).hasSize(2);
  }

  @Test
  void an_operator_fires_a_schedule_now_as_a_schedule_trigger_that_leaves_its_fires_alone() {
    hourly("hourly", "skip");
    ApiClient.Response made = admin.post("/api/tokens", Map.of("name", "olaf", "role", "operator"));
    ApiClient operator = server.client(made.json().get("token").asText());
    ApiClient.Response viewerToken =
        admin.post("/api/tokens", Map.of("name", "vera", "role", "viewer"));
    ApiClient viewer = server.client(viewerToken.json().get("token").asText());

    ApiClient.Response fired = operator.post("/api/workflows/hourly/schedules/0/fire", null);
    assertThat(fired.status()).as(fired.text()).isEqualTo(202);
    JsonNode run = Runs.awaitTerminal(admin, fired.json().get("id").asText());
    assertThat(run.get("status").asText()).isEqualTo("completed");
    assertThat(run.get("triggeredBy").asText()).isEqualTo("olaf");
    assertThat(run.get("initiatedBy").asText()).isEqualTo("olaf");
    assertThat(run.get("parameters").get("region").asText()).isEqualTo("north");
    JsonNode trigger = run.get("trigger");
    assertThat(trigger.get("type").asText()).isEqualTo("schedule");
    assertThat(trigger.get("source").asText()).isEqualTo("api");
    assertThat(trigger.get("at").asText()).matches(".*T.*\\.\\d{6}Z");
    JsonNode schedule = trigger.get("schedule");
    assertThat(schedule.get("index").asInt()).isZero();
    assertThat(schedule.get("cron").asText()).isEqualTo("0 * * * *");
    assertThat(schedule.get("timezone").asText()).isEqualTo("UTC");
    assertThat(schedule.get("firedBy").asText()).isEqualTo("olaf");
    assertThat(schedule.get("fireTime").asText()).matches("2030-01-07T05:3\\d:\\d\\d\\.000000Z");
    assertThat(admin.get("/api/runs?trigger=schedule").json().get("items")).hasSize(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        admin
                            .get("/api/runs/" + run.get("id").asText() + "/audit")
                            .json()
                            .get("items"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.get("type").asText()).isEqualTo("schedule.fired");
                          assertThat(e.get("actor").asText()).isEqualTo("olaf");
                          assertThat(e.get("details").get("index").asInt()).isZero();
                        }));

    // the schedule's own fire times are untouched: the next one still fires, once
    setClock(Instant.parse("2030-01-07T06:00:05Z"));
    server.node().scheduler().tick();
    List<JsonNode> runs = runsOf("hourly");
    assertThat(runs).hasSize(2);
    assertThat(runs)
        .filteredOn(r -> r.get("triggeredBy").asText().equals("system:scheduler"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.get("trigger").get("schedule").get("fireTime").asText())
                    .isEqualTo("2030-01-07T06:00:00.000000Z"));

    // no such schedule or workflow: 404; not a position: 400 naming it; a viewer may not
    assertThat(operator.post("/api/workflows/hourly/schedules/1/fire", null).status())
        .isEqualTo(404);
    assertThat(operator.post("/api/workflows/nothing/schedules/0/fire", null).status())
        .isEqualTo(404);
    ApiClient.Response notIndex = operator.post("/api/workflows/hourly/schedules/x/fire", null);
    assertThat(notIndex.status()).isEqualTo(400);
    assertThat(notIndex.json().get("errors").findValuesAsText("field")).containsExactly("index");
    ApiClient.Response withBody =
        operator.post("/api/workflows/hourly/schedules/0/fire", Map.of("parameters", Map.of()));
    assertThat(withBody.status()).isEqualTo(400);
    assertThat(viewer.post("/api/workflows/hourly/schedules/0/fire", null).status()).isEqualTo(403);
    assertThat(admin.delete("/api/workflows/hourly").status()).isIn(200, 204);
    assertThat(operator.post("/api/workflows/hourly/schedules/0/fire", null).status())
        .isEqualTo(404);
    assertThat(runsOf("hourly")).hasSize(2);
  }

  @Test
  void fires_missed_while_no_server_ran_are_skipped_or_run_once_as_the_schedule_says() {
    hourly("skipper", "skip");
    hourly("catcher", "run-once");
    setClock(Instant.parse("2030-01-07T06:30:00Z"));
    server.node().scheduler().tick();
    assertThat(fireTimes("skipper")).containsExactly("2030-01-07T06:00:00.000000Z");
    assertThat(fireTimes("catcher")).containsExactly("2030-01-07T06:00:00.000000Z");

    // Down from 06:30 to 11:30: the fires of 07:00 to 11:00 are missed.
    server.restart(() -> setClock(Instant.parse("2030-01-07T11:30:00Z")));
    admin = server.admin();
    server.node().scheduler().tick();
    assertThat(fireTimes("skipper")).containsExactly("2030-01-07T06:00:00.000000Z");
    assertThat(fireTimes("catcher"))
        .containsExactly("2030-01-07T06:00:00.000000Z", "2030-01-07T11:00:00.000000Z");
    JsonNode caughtUp =
        runsOf("catcher").stream()
            .filter(
                r ->
                    r.get("trigger")
                        .get("schedule")
                        .get("fireTime")
                        .asText()
                        .equals("2030-01-07T11:00:00.000000Z"))
            .findFirst()
            .orElseThrow();
    assertThat(caughtUp.get("trigger").get("schedule").get("missed").asBoolean()).isTrue();

    // A second restart does not catch up again, and the next fire comes on time for both.
    server.restart(() -> setClock(Instant.parse("2030-01-07T11:45:00Z")));
    admin = server.admin();
    server.node().scheduler().tick();
    assertThat(fireTimes("catcher")).hasSize(2);
    setClock(Instant.parse("2030-01-07T12:00:02Z"));
    server.node().scheduler().tick();
    assertThat(fireTimes("skipper"))
        .containsExactly("2030-01-07T06:00:00.000000Z", "2030-01-07T12:00:00.000000Z");
    assertThat(fireTimes("catcher"))
        .containsExactly(
            "2030-01-07T06:00:00.000000Z",
            "2030-01-07T11:00:00.000000Z",
            "2030-01-07T12:00:00.000000Z");
  }

  @Test
  void archiving_or_changing_a_workflow_changes_its_schedule_at_the_next_tick() {
    hourly("changing", "skip");
    server.node().scheduler().tick();
    put(
        "workflow",
        """
        kind: workflow
        name: changing
        on:
          schedule:
            - {cron: "15 6 * * *"}
        steps:
          - {id: one, uses: ok}
        """);
    setClock(Instant.parse("2030-01-07T06:20:00Z"));
    server.node().scheduler().tick();
    assertThat(fireTimes("changing")).containsExactly("2030-01-07T06:15:00.000000Z");

    assertThat(admin.delete("/api/workflows/changing").status()).isIn(200, 204);
    setClock(Instant.parse("2030-01-08T06:20:00Z"));
    server.node().scheduler().tick();
    assertThat(fireTimes("changing")).containsExactly("2030-01-07T06:15:00.000000Z");
  }

  // --- events --------------------------------------------------------------------------------

  private void listener(String name, String on) {
    put(
        "workflow",
        """
        kind: workflow
        name: %s
        on:
          manual: false
          events:
            %s
        steps:
          - {id: one, uses: ok}
        """
            .formatted(name, on));
  }

  private static Map<String, Object> event(String id, String type, Object data) {
    return Map.of(
        "specversion", "1.0", "id", id, "source", "/aml/monitor", "type", type, "data", data);
  }

  @Test
  void an_event_starts_every_matching_workflow_whose_if_holds_and_the_same_event_again_nothing() {
    listener("on-failure", "- {type: aml.monitor.failed, if: \"event.data.severity != 'low'\"}");
    listener("on-any-source", "- {type: aml.monitor.failed, source: /elsewhere}");
    listener("on-other", "- {type: something.else}");

    ApiClient.Response low =
        admin.post("/api/events", event("e-1", "aml.monitor.failed", Map.of("severity", "low")));
    assertThat(low.status()).as(low.text()).isEqualTo(202);
    assertThat(low.json().get("runs")).isEmpty();

    ApiClient.Response high =
        admin.post("/api/events", event("e-2", "aml.monitor.failed", Map.of("severity", "high")));
    assertThat(high.status()).as(high.text()).isEqualTo(202);
    assertThat(high.json().get("eventId").asText()).startsWith("evt_");
    assertThat(high.json().get("runs")).hasSize(1);
    String runId = high.json().get("runs").get(0).asText();
    JsonNode run = Runs.awaitTerminal(admin, runId);
    assertThat(run.get("workflow").asText()).isEqualTo("on-failure");
    assertThat(run.get("triggeredBy").asText()).isEqualTo("admin");
    JsonNode trigger = run.get("trigger");
    assertThat(trigger.get("type").asText()).isEqualTo("event");
    assertThat(trigger.get("event").get("id").asText()).isEqualTo("e-2");
    assertThat(trigger.get("event").get("source").asText()).isEqualTo("/aml/monitor");
    assertThat(trigger.get("event").get("type").asText()).isEqualTo("aml.monitor.failed");
    assertThat(trigger.get("event").get("data").get("severity").asText()).isEqualTo("high");
    // the run acts on the one event whose condition held
    assertThat(run.get("subjectsMatched").asInt()).isEqualTo(1);
    assertThat(run.get("actionsInvoked").asInt()).isEqualTo(1);

    ApiClient.Response again =
        admin.post("/api/events", event("e-2", "aml.monitor.failed", Map.of("severity", "high")));
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("eventId").asText()).isEqualTo(high.json().get("eventId").asText());
    assertThat(again.json().get("runs").get(0).asText()).isEqualTo(runId);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(admin.get("/api/runs").json().get("items")).hasSize(1);
    assertThat(admin.get("/api/runs?trigger=event").json().get("items")).hasSize(1);
  }

  /** A workflow whose inputs require a region, started by kyc.policy.changed events. */
  private void regional(String name, String parameters) {
    put(
        "workflow",
        """
        kind: workflow
        name: %s
        inputs:
          type: object
          required: [region]
          properties:
            region: {type: string, enum: [north, south]}
            reason: {type: string}
            notify: {type: boolean, default: true}
        on:
          manual: false
          events:
            - type: kyc.policy.changed
              if: "event.data.severity != 'low'"
              %s
        steps:
          - {id: one, uses: ok}
        """
            .formatted(name, parameters));
  }

  private List<JsonNode> startFailures(String workflow) {
    List<JsonNode> failures = new ArrayList<>();
    admin
        .get("/api/audit?type=event.start-failed")
        .json()
        .get("items")
        .forEach(
            a -> {
              if (a.get("target").asText().equals("workflow/" + workflow)) {
                failures.add(a.get("details"));
              }
            });
    return failures;
  }

  @Test
  void an_event_trigger_renders_its_parameters_from_the_event_into_a_run_of_required_inputs() {
    regional(
        "regional-review",
        "parameters: {region: \"${{ event.data.region }}\","
            + " reason: \"policy ${{ event.data.policy }} changed (${{ event.id }})\"}");
    regional("no-parameters", "");

    ApiClient.Response r =
        admin.post(
            "/api/events",
            event(
                "e-1",
                "kyc.policy.changed",
                Map.of("severity", "high", "region", "north", "policy", "P-7")));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    assertThat(r.json().get("runs")).hasSize(1);
    JsonNode run = Runs.awaitTerminal(admin, r.json().get("runs").get(0).asText());
    assertThat(run.get("workflow").asText()).isEqualTo("regional-review");
    assertThat(run.get("status").asText()).isEqualTo("completed");
    JsonNode parameters = run.get("parameters");
    assertThat(parameters.get("region").asText()).isEqualTo("north");
    assertThat(parameters.get("reason").asText()).isEqualTo("policy P-7 changed (e-1)");
    assertThat(parameters.get("notify").asBoolean()).as("the default applies").isTrue();
    assertThat(run.get("trigger").get("event").get("data").get("region").asText())
        .isEqualTo("north");

    // The same event could not start the workflow that gives no parameters, and says why.
    assertThat(runsOf("no-parameters")).isEmpty();
    assertThat(startFailures("no-parameters"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.get("eventId").asText()).isEqualTo(r.json().get("eventId").asText());
              assertThat(d.get("cause").asText())
                  .contains("the workflow's inputs need parameters")
                  .contains("parameters.region: is required");
            });
    assertThat(startFailures("regional-review")).isEmpty();
  }

  @Test
  void an_event_whose_parameters_do_not_render_or_fit_the_inputs_starts_nothing_and_says_why() {
    regional("regional-review", "parameters: {region: \"${{ event.data.region }}\"}");
    listener("bystander", "- {type: kyc.policy.changed}");

    ApiClient.Response refused =
        admin.post(
            "/api/events",
            event("e-1", "kyc.policy.changed", Map.of("severity", "high", "region", "west")));
    assertThat(refused.status()).as(refused.text()).isEqualTo(202);
    ApiClient.Response unrendered =
        admin.post("/api/events", event("e-2", "kyc.policy.changed", Map.of("severity", "high")));
    assertThat(unrendered.status()).as(unrendered.text()).isEqualTo(202);

    // The other workflow on the same event starts each time.
    for (ApiClient.Response r : List.of(refused, unrendered)) {
      assertThat(r.json().get("runs")).hasSize(1);
      JsonNode run = admin.get("/api/runs/" + r.json().get("runs").get(0).asText()).json();
      assertThat(run.get("workflow").asText()).isEqualTo("bystander");
    }
    assertThat(runsOf("regional-review")).isEmpty();
    List<JsonNode> failures = startFailures("regional-review");
    assertThat(failures).hasSize(2);
    assertThat(failures)
        .anySatisfy(
            d -> {
              assertThat(d.get("eventId").asText())
                  .isEqualTo(refused.json().get("eventId").asText());
              assertThat(d.get("cause").asText())
                  .contains("the workflow's inputs refuse the event trigger's parameters")
                  .contains("parameters.region");
            })
        .anySatisfy(
            d -> {
              assertThat(d.get("eventId").asText())
                  .isEqualTo(unrendered.json().get("eventId").asText());
              assertThat(d.get("cause").asText())
                  .contains("the event trigger's parameters did not render")
                  .contains("on.events[0].parameters.region")
                  .contains("no such key: region");
            });
  }

  @Test
  void a_binary_mode_event_carries_its_attributes_in_ce_headers_and_the_body_is_its_data() {
    listener("on-binary", "- {type: incident.closed, if: \"event.data.review == false\"}");
    ApiClient.Response r =
        admin.send(
            "POST",
            "/api/events",
            "{\"incident\": \"INC-7\", \"review\": false}",
            "application/json",
            Map.of(
                "ce-specversion", "1.0",
                "ce-id", "b-1",
                "ce-source", "/incidents",
                "ce-type", "incident.closed",
                "ce-subject", "INC-7"));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    assertThat(r.json().get("runs")).hasSize(1);
    JsonNode event =
        admin.get("/api/runs/" + r.json().get("runs").get(0).asText()).json().get("trigger");
    assertThat(event.get("event").get("subject").asText()).isEqualTo("INC-7");
    assertThat(event.get("event").get("data").get("incident").asText()).isEqualTo("INC-7");

    ApiClient.Response missing =
        admin.send(
            "POST",
            "/api/events",
            "{}",
            "application/json",
            Map.of("ce-specversion", "1.0", "ce-source", "/incidents"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.text()).contains("ce-id").contains("ce-type");
  }

  @Test
  void a_structured_event_needs_specversion_1_0_an_id_a_source_and_a_type() {
    ApiClient.Response r =
        admin.post("/api/events", Map.of("specversion", "0.3", "source", "", "data", 1));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).contains("specversion").contains("\"id\"").contains("type");
    assertThat(admin.get("/api/audit?type=event.received").json().get("items")).isEmpty();
  }

  @Test
  void emit_posts_an_event_that_starts_the_listening_workflows() {
    listener("downstream", "- {type: report.ready}");
    put(
        "action",
        """
        kind: action
        name: announce
        builtin: {emit: {type: report.ready, data: {rows: 3}}}
        """);
    put(
        "workflow",
        """
        kind: workflow
        name: upstream
        steps:
          - {id: tell, uses: announce}
        """);
    String id = admin.post("/api/workflows/upstream/trigger", Map.of()).json().get("id").asText();
    assertThat(Runs.awaitTerminal(admin, id).get("status").asText()).isEqualTo("completed");
    JsonNode task = admin.get("/api/runs/" + id + "/tasks/tell").json();
    JsonNode outputs = task.get("result").get("outputs");
    assertThat(outputs.get("eventId").asText()).startsWith("evt_");
    assertThat(outputs.get("runs")).hasSize(1);
    JsonNode started = admin.get("/api/runs/" + outputs.get("runs").get(0).asText()).json();
    assertThat(started.get("workflow").asText()).isEqualTo("downstream");
    assertThat(started.get("triggeredBy").asText()).isEqualTo("system:engine");
    assertThat(started.get("trigger").get("event").get("data").get("rows").asInt()).isEqualTo(3);
  }

  // --- webhooks ------------------------------------------------------------------------------

  @Test
  void a_webhook_with_the_right_secret_starts_its_workflow_and_a_wrong_one_is_404() {
    put(
        "workflow",
        """
        kind: workflow
        name: hooked
        on: {manual: false}
        steps:
          - {id: one, uses: ok}
        """);
    ApiClient.Response made = admin.post("/api/workflows/hooked/hook", Map.of());
    assertThat(made.status()).as(made.text()).isEqualTo(201);
    String secret = made.json().get("secret").asText();
    assertThat(made.json().get("url").asText()).endsWith("/hooks/hooked/" + secret);
    ApiClient anyone = server.client(null);

    assertThat(anyone.post("/hooks/hooked/not-the-secret", Map.of("x", 1)).status()).isEqualTo(404);
    assertThat(anyone.post("/hooks/no-such-workflow/" + secret, Map.of("x", 1)).status())
        .isEqualTo(404);
    assertThat(admin.get("/api/runs").json().get("items")).isEmpty();

    ApiClient.Response called = anyone.post("/hooks/hooked/" + secret, Map.of("ref", "PR-9"));
    assertThat(called.status()).as(called.text()).isEqualTo(202);
    JsonNode run = Runs.awaitTerminal(admin, called.json().get("runs").get(0).asText());
    assertThat(run.get("trigger").get("type").asText()).isEqualTo("webhook");
    assertThat(run.get("trigger").get("event").get("data").get("ref").asText()).isEqualTo("PR-9");

    // rotating makes the old secret useless
    String rotated =
        admin.post("/api/workflows/hooked/hook", Map.of()).json().get("secret").asText();
    assertThat(anyone.post("/hooks/hooked/" + secret, Map.of()).status()).isEqualTo(404);
    assertThat(anyone.post("/hooks/hooked/" + rotated, Map.of()).status()).isEqualTo(202);
    assertThat(admin.get("/api/audit").text()).doesNotContain(secret).doesNotContain(rotated);
  }

  // --- secrets -------------------------------------------------------------------------------

  @Test
  void secret_values_are_stored_encrypted_and_masked_in_logs_in_every_form() {
    String value = "s3cr3t-Value with space";
    assertThat(admin.put("/api/secrets/API_TOKEN", Map.of("value", value)).status()).isEqualTo(201);
    List<String> stored =
        server.node().store().read(tx -> tx.secrets().allValues().stream().map(r -> r[2]).toList());
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0)).startsWith("aesgcm:v1:").doesNotContain(value);
    assertThat(server.node().secrets().values("default")).containsEntry("API_TOKEN", value);

    put(
        "action",
        """
        kind: action
        name: leaky
        builtin:
          log:
            message: "plain ${{ secrets.API_TOKEN }} b64 ${{ base64.encode(bytes('user:' + secrets.API_TOKEN)) }}"
        """);
    String id = admin.post("/api/actions/leaky/trigger", Map.of()).json().get("id").asText();
    JsonNode run = Runs.awaitTerminal(admin, id);
    await().atMost(Duration.ofSeconds(5)).until(() -> !logs(id).isBlank());
    String logs = logs(id);
    assertThat(run.get("status").asText()).as(logs).isEqualTo("completed");
    assertThat(logs).contains("plain *** b64 ").doesNotContain(value);
    assertThat(logs).doesNotContain(java.util.Base64.getEncoder().encodeToString(value.getBytes()));
    assertThat(run.toString()).doesNotContain(value);
  }

  private String logs(String runId) {
    JsonNode tasks = admin.get("/api/runs/" + runId + "/tasks").json().get("items");
    return admin
        .get("/api/runs/" + runId + "/tasks/" + tasks.get(0).get("name").asText() + "/logs")
        .text();
  }
}
