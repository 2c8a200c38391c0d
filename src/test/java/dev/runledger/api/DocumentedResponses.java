package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import dev.runledger.testing.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAPI 3.1 document's answer to "is this real response one the operation documents": the
 * status must be one of the operation's responses, the Content-Type one of that response's media
 * types, and a JSON body must validate against its schema (JSON Schema 2020-12 in the OpenAPI 3.1
 * dialect, {@code $ref}s resolved within the document).
 */
final class DocumentedResponses {
  /**
   * Where the document's schemas are registered for the validator, as the {@code $defs} of one
   * schema; nothing is fetched from it.
   */
  private static final String SCHEMAS_IRI = "https://runledger.invalid/components.json";

  private static final String COMPONENT = "#/components/schemas/";

  private final JsonNode doc;
  private final JsonNode closedDoc;
  private final SchemaRegistry registry;
  private int compiled;

  /** A documented operation: its path template, method and operation object. */
  record Operation(String path, String method, String id, JsonNode node) {}

  DocumentedResponses(String yaml) {
    try {
      ObjectMapper yamlMapper = new ObjectMapper(new YAMLFactory());
      this.doc = yamlMapper.readTree(yaml);
      this.closedDoc = closed(doc.deepCopy());
      ObjectNode schemas = new ObjectMapper().createObjectNode();
      schemas.set("$defs", absoluteRefs(closedDoc.path("components").path("schemas").deepCopy()));
      String json = new ObjectMapper().writeValueAsString(schemas);
      SchemaRegistryConfig config =
          SchemaRegistryConfig.builder()
              .locale(Locale.ENGLISH)
              .formatAssertionsEnabled(true)
              .build();
      this.registry =
          SchemaRegistry.withDefaultDialect(
              Dialects.getOpenApi31(),
              builder ->
                  builder
                      .schemaRegistryConfig(config)
                      .schemas(Map.of(SCHEMAS_IRI, json))
                      .schemaLoader(loader -> loader.fetchRemoteResources(false)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The document with every object schema that lists its properties closed to others ({@code
   * unevaluatedProperties: false}, unless it says what other properties may be), so that a field a
   * response carries but the document does not describe is a mismatch too. A schema that is a
   * member of an {@code allOf} (or a component used as one) is left open and its holder closed, as
   * the members' properties together are what the holder allows.
   */
  private static JsonNode closed(JsonNode document) {
    Set<String> members = new HashSet<>();
    document
        .findValues("allOf")
        .forEach(
            allOf ->
                allOf.forEach(
                    m -> {
                      if (m.has("$ref")) {
                        members.add(m.get("$ref").asText());
                      }
                    }));
    document
        .path("components")
        .path("schemas")
        .fields()
        .forEachRemaining(
            e -> close(e.getValue(), members.contains("#/components/schemas/" + e.getKey())));
    List<JsonNode> responses = new ArrayList<>();
    document
        .path("paths")
        .forEach(p -> p.forEach(op -> responses.addAll(listOf(op.path("responses")))));
    responses.addAll(listOf(document.path("components").path("responses")));
    for (JsonNode response : responses) {
      response.path("content").forEach(media -> close(media.get("schema"), false));
    }
    return document;
  }

  private static List<JsonNode> listOf(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    node.forEach(out::add);
    return out;
  }

  private static void close(JsonNode schema, boolean member) {
    if (!(schema instanceof ObjectNode o) || o.has("$ref")) {
      return;
    }
    boolean open = o.has("additionalProperties") || o.has("unevaluatedProperties");
    if (!member && !open && (o.has("properties") || o.has("allOf"))) {
      o.put("unevaluatedProperties", false);
    }
    o.path("properties").forEach(p -> close(p, false));
    close(o.get("items"), false);
    close(o.get("additionalProperties"), false);
    for (String composition : List.of("allOf", "anyOf", "oneOf")) {
      o.path(composition).forEach(m -> close(m, true));
    }
  }

  /** Every operation of the document with this method (lower case, as {@code get}). */
  List<Operation> operations(String method) {
    List<Operation> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      JsonNode op = path.getValue().path(method);
      if (op.isObject()) {
        out.add(new Operation(path.getKey(), method, op.path("operationId").asText(), op));
      }
    }
    return out;
  }

  Operation operation(String operationId) {
    for (String method : List.of("get", "put", "post", "delete")) {
      for (Operation op : operations(method)) {
        if (op.id().equals(operationId)) {
          return op;
        }
      }
    }
    throw new IllegalArgumentException("no operation " + operationId);
  }

  /** The operation's parameters, those of its path first, each resolved. */
  List<JsonNode> parameters(Operation op) {
    List<JsonNode> out = new ArrayList<>();
    doc.path("paths").path(op.path()).path("parameters").forEach(p -> out.add(resolve(p)));
    op.node().path("parameters").forEach(p -> out.add(resolve(p)));
    return out;
  }

  /** A parameter's schema with its {@code $ref}s followed (array items too). */
  JsonNode schemaOf(JsonNode parameter) {
    return resolve(parameter.path("schema"));
  }

  /** Follows {@code $ref}s within the document. */
  JsonNode resolved(JsonNode node) {
    return resolve(node);
  }

  /** Whether the operation documents this status (exactly, as a range such as 4XX, or default). */
  boolean documents(Operation op, int status) {
    return responsePointer(op, status) != null;
  }

  /**
   * What is wrong with a real response to the operation, each as one line naming the request; an
   * empty list when the response is as documented.
   */
  List<String> mismatches(Operation op, String request, ApiClient.Response r) {
    String where = op.id() + " GET " + request + " -> " + r.status() + ": ";
    String responsePointer = responsePointer(op, r.status());
    if (responsePointer == null) {
      return List.of(where + "status not documented; body " + abbreviate(r.text()));
    }
    JsonNode response = resolve(doc.at(responsePointer));
    String responseAt = refTarget(doc.at(responsePointer), responsePointer);
    JsonNode content = response.path("content");
    String contentType = r.header("Content-Type");
    if (content.isMissingNode() || content.isEmpty()) {
      return r.text().isEmpty() ? List.of() : List.of(where + "documents no body but got one");
    }
    if (contentType == null) {
      return List.of(where + "no Content-Type; documented " + names(content));
    }
    String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    String documented = matchingMediaType(content, mediaType);
    if (documented == null) {
      return List.of(where + "Content-Type " + contentType + " not documented; " + names(content));
    }
    JsonNode media = content.get(documented);
    if (!media.has("schema")) {
      return List.of();
    }
    String schemaAt = responseAt + "/content/" + escape(documented) + "/schema";
    JsonNode value;
    if (isJson(documented)) {
      try {
        value = new ObjectMapper().readTree(r.text());
      } catch (IOException e) {
        return List.of(where + "body is not JSON: " + abbreviate(r.text()));
      }
    } else {
      value = TextNode.valueOf(r.text());
    }
    List<String> out = new ArrayList<>();
    for (Error error : schema(schemaAt).validate(value)) {
      out.add(
          where
              + error.getInstanceLocation()
              + " "
              + error.getMessage()
              + " (was "
              + abbreviate(String.valueOf(error.getInstanceNode()))
              + ")");
    }
    return out;
  }

  /**
   * The schema at a pointer of the document, compiled on its own with its {@code $ref}s made
   * absolute (to the registered components).
   */
  private Schema schema(String pointer) {
    JsonNode node = absoluteRefs(closedDoc.at(pointer).deepCopy());
    Schema schema =
        registry.getSchema(
            SchemaLocation.of("https://runledger.invalid/responses/" + compiled++ + ".json"), node);
    schema.initializeValidators();
    return schema;
  }

  private static JsonNode absoluteRefs(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual()) {
        if (!ref.asText().startsWith(COMPONENT)) {
          throw new IllegalStateException("a schema refers to what is not a schema: " + ref);
        }
        object.put("$ref", SCHEMAS_IRI + "#/$defs/" + ref.asText().substring(COMPONENT.length()));
      }
      object.forEach(DocumentedResponses::absoluteRefs);
    } else if (node.isArray()) {
      node.forEach(DocumentedResponses::absoluteRefs);
    }
    return node;
  }

  /** The pointer to the response object the status selects, or null. */
  private String responsePointer(Operation op, int status) {
    JsonNode responses = op.node().path("responses");
    String base = "/paths/" + escape(op.path()) + "/" + op.method() + "/responses/";
    for (String key : List.of(Integer.toString(status), (status / 100) + "XX", "default")) {
      if (responses.has(key)) {
        return base + key;
      }
    }
    return null;
  }

  /** Where the node's {@code $ref} (followed to its end) points, or {@code at} itself. */
  private String refTarget(JsonNode node, String at) {
    String pointer = at;
    JsonNode current = node;
    while (current.has("$ref")) {
      pointer = current.get("$ref").asText().substring(1);
      current = doc.at(pointer);
    }
    return pointer;
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      current = doc.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  /** The documented media type matching a real one, exactly or as a range (text/*, *&#47;*). */
  private static String matchingMediaType(JsonNode content, String mediaType) {
    if (content.has(mediaType)) {
      return mediaType;
    }
    String range = mediaType.substring(0, mediaType.indexOf('/') + 1) + "*";
    if (content.has(range)) {
      return range;
    }
    return content.has("*/*") ? "*/*" : null;
  }

  private static boolean isJson(String mediaType) {
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  private static String names(JsonNode content) {
    List<String> names = new ArrayList<>();
    content.fieldNames().forEachRemaining(names::add);
    return "documented " + names;
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
