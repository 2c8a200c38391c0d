package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class InputSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InputSchema inputs = new InputSchema(ActionDefinitionReaderTest.SCHEMAS);

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static final String SCHEMA =
      """
      {"type": "object", "required": ["account", "manager"],
       "properties": {
         "account": {"type": "string"},
         "manager": {"type": "string"},
         "dueDays": {"type": "integer", "default": 14, "minimum": 1},
         "options": {"type": "object", "properties": {
             "channel": {"type": "string", "default": "email"},
             "retries": {"type": "integer", "default": 2}}},
         "limits": {"type": "object", "default": {}, "properties": {"max": {"type": "integer", "default": 10}}}
       },
       "additionalProperties": false}
      """;

  @Test
  void defaults_are_applied_recursively_without_changing_the_argument() throws Exception {
    JsonNode parameters =
        json("{\"account\":\"a1\",\"manager\":\"m\",\"options\":{\"retries\":5}}");
    ObjectNode applied = inputs.apply(json(SCHEMA), parameters);
    assertThat(applied.get("dueDays").intValue()).isEqualTo(14);
    assertThat(applied.at("/options/channel").textValue()).isEqualTo("email");
    assertThat(applied.at("/options/retries").intValue()).isEqualTo(5);
    assertThat(applied.at("/limits/max").intValue()).isEqualTo(10);
    assertThat(parameters.has("dueDays")).isFalse();
  }

  @Test
  void violations_name_each_parameter() throws Exception {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                inputs.apply(
                    json(SCHEMA),
                    json(
                        "{\"manager\":5,\"dueDays\":0,\"options\":{\"channel\":1},\"colour\":\"red\"}")));
    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "parameters.account",
            "parameters.manager",
            "parameters.dueDays",
            "parameters.options.channel",
            "parameters.colour");
    assertThat(e.errors())
        .extracting(FieldError::field, FieldError::message)
        .contains(
            tuple("parameters.account", "is required"),
            tuple("parameters.dueDays", "must have a minimum value of 1"),
            tuple("parameters.colour", "is not defined in the schema"));
  }

  @Test
  void array_items_are_named_by_index() throws Exception {
    JsonNode schema =
        json(
            "{\"type\":\"object\",\"properties\":{\"ids\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}");
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class, () -> inputs.apply(schema, json("{\"ids\":[\"a\",2]}")));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("parameters.ids[1]");
  }

  @Test
  void without_a_schema_parameters_must_be_an_object() throws Exception {
    assertThat(inputs.apply(null, null)).isEmpty();
    assertThat(inputs.apply(null, json("{\"a\":1}")).get("a").intValue()).isEqualTo(1);
    InvalidInputException e =
        catchThrowableOfType(InvalidInputException.class, () -> inputs.apply(null, json("[1]")));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("parameters");
    e =
        catchThrowableOfType(
            InvalidInputException.class, () -> inputs.apply(json(SCHEMA), json("\"x\"")));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("parameters");
  }

  @Test
  void absent_parameters_get_defaults_too() throws Exception {
    JsonNode schema =
        json(
            "{\"type\":\"object\",\"properties\":{\"region\":{\"type\":\"string\",\"default\":\"all\"}}}");
    assertThat(inputs.apply(schema, null).get("region").textValue()).isEqualTo("all");
  }

  @Test
  void remote_references_are_not_fetched() throws Exception {
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          byte[] body = "{\"type\":\"object\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      JsonNode schema = json("{\"$ref\":\"http://127.0.0.1:" + port + "/schema.json\"}");
      assertThat(ActionDefinitionReaderTest.SCHEMAS.check(schema, "inputs"))
          .singleElement()
          .satisfies(error -> assertThat(error.field()).isEqualTo("inputs"));
      assertThat(requests).hasValue(0);
    } finally {
      server.stop(0);
    }
  }
}
