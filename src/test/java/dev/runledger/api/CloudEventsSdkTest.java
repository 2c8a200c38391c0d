package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static dev.runledger.api.ProblemAssertions.errorFields;
import static dev.runledger.api.ProblemAssertions.messages;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events made and serialised by the CloudEvents Java SDK (its JSON format and its HTTP message
 * writer), posted to a real server: what the run's {@code trigger.event} keeps of each.
 */
class CloudEventsSdkTest {
  private static final JsonFormat FORMAT = new JsonFormat();

  private static TestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
    put("action", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
    put(
        "workflow",
        """
        kind: workflow
        name: on-order
        on:
          manual: false
          events:
            - {type: order.placed}
        steps:
          - {id: one, uses: ok}
        """);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void put(String kind, String yaml) {
    String name = yaml.lines().filter(l -> l.startsWith("name:")).findFirst().orElseThrow();
    ApiClient.Response r = admin.putYaml("/api/" + kind + "s/" + name.substring(5).trim(), yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  /** An SDK event with every optional attribute and three extensions, JSON data. */
  private static CloudEvent order(String id) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("https://shop.example/orders"))
        .withType("order.placed")
        .withSubject("ORD-7")
        .withTime(OffsetDateTime.parse("2026-11-21T07:00:00Z"))
        .withDataContentType("application/json")
        .withDataSchema(URI.create("https://shop.example/schemas/order.json"))
        .withExtension("tenant", "acme")
        .withExtension("priority", 3)
        .withExtension("urgent", true)
        .withData(JsonCloudEventData.wrap(Json.object().put("order", "ORD-7").put("total", 42)))
        .build();
  }

  /** What an SDK HTTP message writer puts on the wire. */
  private record Wire(Map<String, String> headers, String body) {}

  private static Wire structured(CloudEvent event) {
    Map<String, String> headers = new LinkedHashMap<>();
    AtomicReference<byte[]> body = new AtomicReference<>();
    HttpMessageFactory.createWriter(headers::put, body::set).writeStructured(event, FORMAT);
    return new Wire(headers, new String(body.get(), StandardCharsets.UTF_8));
  }

  private static Wire binary(CloudEvent event) {
    Map<String, String> headers = new LinkedHashMap<>();
    AtomicReference<byte[]> body = new AtomicReference<>();
    HttpMessageFactory.createWriter(headers::put, body::set).writeBinary(event);
    return new Wire(
        headers, body.get() == null ? "" : new String(body.get(), StandardCharsets.UTF_8));
  }

  private static ApiClient.Response post(Wire wire) {
    Map<String, String> headers = new LinkedHashMap<>(wire.headers());
    String contentType = headers.remove("Content-Type");
    return admin.send("POST", "/api/events", wire.body(), contentType, headers);
  }

  /** The trigger.event of the one run the answer started. */
  private static JsonNode storedEvent(ApiClient.Response r) {
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    assertThat(r.json().get("runs")).as(r.text()).hasSize(1);
    String run = r.json().get("runs").get(0).asText();
    return admin.get("/api/runs/" + run).json().get("trigger").get("event");
  }

  private static void assertAllAttributes(JsonNode event, String id) {
    assertThat(event.get("specversion").asText()).isEqualTo("1.0");
    assertThat(event.get("id").asText()).isEqualTo(id);
    assertThat(event.get("source").asText()).isEqualTo("https://shop.example/orders");
    assertThat(event.get("type").asText()).isEqualTo("order.placed");
    assertThat(event.get("subject").asText()).isEqualTo("ORD-7");
    assertThat(event.get("time").asText()).isEqualTo("2026-11-21T07:00:00Z");
    assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(event.get("dataschema").asText())
        .isEqualTo("https://shop.example/schemas/order.json");
    assertThat(event.get("data").get("order").asText()).isEqualTo("ORD-7");
    assertThat(event.get("data").get("total").asInt()).isEqualTo(42);
    assertThat(event.has("data_base64")).isFalse();
  }

  @Test
  void a_structured_event_written_by_the_sdk_keeps_every_attribute_and_its_typed_extensions() {
    Wire wire = structured(order("s-1"));
    assertThat(wire.headers().get("Content-Type")).startsWith("application/cloudevents+json");

    JsonNode event = storedEvent(post(wire));

    assertAllAttributes(event, "s-1");
    assertThat(event.get("extensions").toString())
        .isEqualTo("{\"priority\":3,\"tenant\":\"acme\",\"urgent\":true}");
  }

  @Test
  void a_binary_event_written_by_the_sdk_keeps_every_attribute_and_its_extensions_as_text() {
    Wire wire = binary(order("b-1"));
    assertThat(wire.headers()).containsEntry("ce-tenant", "acme").containsKey("ce-specversion");

    JsonNode event = storedEvent(post(wire));

    assertAllAttributes(event, "b-1");
    // Binary mode carries every extension as a header: its type is not on the wire.
    assertThat(event.get("extensions"))
        .isEqualTo(Json.object().put("priority", "3").put("tenant", "acme").put("urgent", "true"));
  }

  @Test
  void binary_data_travels_as_data_base64_and_is_kept_so_text_is_kept_as_text() {
    byte[] pdf = {'%', 'P', 'D', 'F', (byte) 0xff, 0x00, (byte) 0xc3};
    CloudEvent bytes =
        CloudEventBuilder.v1()
            .withId("d-1")
            .withSource(URI.create("/scanner"))
            .withType("order.placed")
            .withDataContentType("application/pdf")
            .withData(pdf)
            .build();
    Wire wire = structured(bytes);
    assertThat(wire.body()).contains("\"data_base64\"");

    JsonNode event = storedEvent(post(wire));

    assertThat(event.get("datacontenttype").asText()).isEqualTo("application/pdf");
    assertThat(event.get("data").isNull()).isTrue();
    assertThat(Base64.getDecoder().decode(event.get("data_base64").asText())).isEqualTo(pdf);

    CloudEvent text =
        CloudEventBuilder.v1(bytes)
            .withId("d-2")
            .withDataContentType("text/plain; charset=utf-8")
            .withData("déjà vu".getBytes(StandardCharsets.UTF_8))
            .build();
    JsonNode textEvent = storedEvent(post(binary(text)));
    assertThat(textEvent.get("data").asText()).isEqualTo("déjà vu");
    assertThat(textEvent.has("data_base64")).isFalse();

    // data_base64 of JSON is decoded into data, where expressions can read it.
    String json =
        "{\"specversion\":\"1.0\",\"id\":\"d-3\",\"source\":\"/scanner\",\"type\":\"order.placed\","
            + "\"datacontenttype\":\"application/json\",\"data_base64\":\""
            + Base64.getEncoder().encodeToString("{\"n\":1}".getBytes(StandardCharsets.UTF_8))
            + "\"}";
    JsonNode decoded =
        storedEvent(
            admin.send("POST", "/api/events", json, "application/cloudevents+json", Map.of()));
    assertThat(decoded.get("data").get("n").asInt()).isEqualTo(1);
  }

  @Test
  void ce_header_values_are_percent_decoded() {
    Map<String, String> headers = new LinkedHashMap<>(binary(order("p-1")).headers());
    headers.put("ce-subject", "caf%C3%A9 %E2%82%AC 100%");
    headers.put("ce-note", "a%2Cb%3Dc");
    Wire wire = new Wire(headers, "{\"order\": \"ORD-7\"}");

    JsonNode event = storedEvent(post(wire));

    assertThat(event.get("subject").asText()).isEqualTo("café € 100%");
    assertThat(event.get("extensions").get("note").asText()).isEqualTo("a,b=c");
  }

  @Test
  void an_extension_name_against_the_spec_is_a_400_naming_the_attribute() {
    String body =
        "{\"specversion\":\"1.0\",\"id\":\"x-1\",\"source\":\"/s\",\"type\":\"order.placed\","
            + "\"Tenant_ID\":\"acme\",\"nested\":{\"a\":1},\"data\":{}}";
    JsonNode problem =
        assertProblem(
            admin.send("POST", "/api/events", body, "application/cloudevents+json", Map.of()), 400);
    assertThat(errorFields(problem)).containsExactlyInAnyOrder("Tenant_ID", "nested");
    assertThat(messages(problem)).contains("lower-case letters a-z and digits 0-9");

    Map<String, String> headers = new LinkedHashMap<>(binary(order("x-2")).headers());
    headers.put("ce-tenant-id", "acme");
    JsonNode binaryProblem = assertProblem(post(new Wire(headers, "{}")), 400);
    assertThat(errorFields(binaryProblem)).containsExactly("ce-tenant-id");
    assertThat(admin.get("/api/runs?workflow=on-order&limit=500").json().get("items").toString())
        .doesNotContain("x-1", "x-2");
  }

  @Test
  void a_batch_of_sdk_events_starts_a_run_for_each_and_answers_for_each() {
    String batch =
        "["
            + new String(FORMAT.serialize(order("batch-1")), StandardCharsets.UTF_8)
            + ","
            + new String(FORMAT.serialize(order("batch-2")), StandardCharsets.UTF_8)
            + "]";

    ApiClient.Response r =
        admin.send("POST", "/api/events", batch, "application/cloudevents-batch+json", Map.of());

    assertThat(r.status()).as(r.text()).isEqualTo(202);
    JsonNode items = r.json().get("items");
    assertThat(items).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(items.get(i).get("duplicate").asBoolean()).isFalse();
      String run = items.get(i).get("runs").get(0).asText();
      JsonNode event = admin.get("/api/runs/" + run).json().get("trigger").get("event");
      assertThat(event.get("id").asText()).isEqualTo("batch-" + (i + 1));
    }

    String bad =
        "["
            + new String(FORMAT.serialize(order("batch-3")), StandardCharsets.UTF_8)
            + ",{\"specversion\":\"1.0\",\"source\":\"/s\"}]";
    JsonNode problem =
        assertProblem(
            admin.send("POST", "/api/events", bad, "application/cloudevents-batch+json", Map.of()),
            400);
    assertThat(errorFields(problem)).containsExactlyInAnyOrder("[1].id", "[1].type");
    JsonNode again =
        admin
            .send(
                "POST",
                "/api/events",
                batch.replace("batch-2", "batch-3"),
                "application/cloudevents-batch+json",
                Map.of())
            .json();
    assertThat(again.get("items").get(0).get("duplicate").asBoolean()).isTrue();
    assertThat(again.get("items").get(1).get("duplicate").asBoolean())
        .as("batch-3 was refused with its batch, so it is new now")
        .isFalse();
  }

  @Test
  void another_structured_format_is_a_415_naming_what_is_read() {
    ApiClient.Response r =
        admin.send("POST", "/api/events", "<event/>", "application/cloudevents+xml", Map.of());
    JsonNode problem = assertProblem(r, 415);
    assertThat(problem.path("detail").asText())
        .contains("application/cloudevents+json")
        .contains("application/cloudevents-batch+json");
    assertThat(r.header("Accept-Post")).contains("application/cloudevents-batch+json");
  }
}
