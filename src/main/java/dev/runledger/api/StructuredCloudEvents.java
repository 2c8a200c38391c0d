package dev.runledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.trigger.CloudEvent;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A structured-mode event ({@code application/cloudevents+json}): one JSON object read by the
 * CloudEvents SDK's JSON format. Its attributes are checked first, so that every problem is named
 * at once by the attribute it is about (the SDK stops at the first).
 */
final class StructuredCloudEvents {
  private static final JsonFormat FORMAT = new JsonFormat();
  private static final Set<String> REQUIRED = Set.of("id", "source", "type");
  private static final Set<String> DATA = Set.of("data", "data_base64");

  private StructuredCloudEvents() {}

  /**
   * The event a JSON object holds.
   *
   * @param prefix what field names start with: empty for one event, {@code [2].} in a batch
   * @throws InvalidInputException naming every attribute that is wrong
   */
  static CloudEvent read(JsonNode node, String prefix) {
    if (!node.isObject()) {
      throw new InvalidInputException(
          prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
          "a CloudEvent is a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    check(node, prefix, errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException("invalid CloudEvent", errors);
    }
    io.cloudevents.CloudEvent event;
    try {
      event = FORMAT.deserialize(Json.MAPPER.writeValueAsBytes(withoutNullExtensions(node)));
    } catch (EventDeserializationException | CloudEventRWException | IllegalStateException e) {
      throw SdkCloudEvents.invalid(prefix + "body", e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
    return SdkCloudEvents.toEngine(event, prefix + "data");
  }

  private static void check(JsonNode node, String prefix, List<FieldError> errors) {
    JsonNode spec = node.get("specversion");
    if (spec == null || spec.isNull()) {
      errors.add(new FieldError(prefix + "specversion", "specversion 1.0 is required"));
    } else if (!spec.isTextual() || !spec.textValue().equals(CloudEvent.SPEC_VERSION)) {
      errors.add(new FieldError(prefix + "specversion", "only CloudEvents 1.0 is accepted"));
    }
    for (String attribute : SdkCloudEvents.CONTEXT_ATTRIBUTES) {
      if (attribute.equals("specversion")) {
        continue;
      }
      String value = string(node, attribute, prefix, errors);
      if (value == null) {
        if (REQUIRED.contains(attribute) && !named(errors, prefix + attribute)) {
          errors.add(
              new FieldError(prefix + attribute, attribute + " is required (a non-empty string)"));
        }
        continue;
      }
      String problem = problem(attribute, value);
      if (problem != null) {
        errors.add(new FieldError(prefix + attribute, problem));
      }
    }
    if (node.has("data") && node.has("data_base64")) {
      errors.add(new FieldError(prefix + "data_base64", "send data or data_base64, not both"));
    }
    JsonNode base64 = node.get("data_base64");
    if (base64 != null && !base64.isNull() && !isBase64(base64)) {
      errors.add(new FieldError(prefix + "data_base64", "data_base64 is a base64 string"));
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (SdkCloudEvents.CONTEXT_ATTRIBUTES.contains(name) || DATA.contains(name)) {
        continue;
      }
      if (!SdkCloudEvents.isAttributeName(name)) {
        errors.add(new FieldError(prefix + name, SdkCloudEvents.nameRule(name)));
        continue;
      }
      JsonNode value = node.get(name);
      if (!(value.isTextual()
          || value.isBoolean()
          || (value.isIntegralNumber() && value.canConvertToInt())
          || value.isNull())) {
        errors.add(
            new FieldError(
                prefix + name,
                "an extension attribute is a string, a boolean or an integer (32 bits)"));
      }
    }
  }

  /** A null attribute is an absent one (the SDK would read an extension's null as "null"). */
  private static JsonNode withoutNullExtensions(JsonNode node) {
    ObjectNode copy = ((ObjectNode) node).deepCopy();
    List<String> nulls = new ArrayList<>();
    copy.fieldNames()
        .forEachRemaining(
            name -> {
              if (!DATA.contains(name) && copy.get(name).isNull()) {
                nulls.add(name);
              }
            });
    copy.remove(nulls);
    return copy;
  }

  /** What is wrong with an attribute's value, or null. */
  static String problem(String attribute, String value) {
    switch (attribute) {
      case "id", "source", "type" -> {
        if (value.isEmpty()) {
          return attribute + " is required (a non-empty string)";
        }
        if (attribute.equals("source") && !isUri(value, false)) {
          return "source is a URI-reference (as /incidents or https://example.com/x)";
        }
      }
      case "time" -> {
        try {
          OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
          return "time is an RFC 3339 timestamp";
        }
      }
      case "dataschema" -> {
        if (!isUri(value, true)) {
          return "dataschema is an absolute URI";
        }
      }
      case "subject" -> {
        if (value.isEmpty()) {
          return "subject, when given, is not empty";
        }
      }
      default -> {}
    }
    return null;
  }

  private static String string(JsonNode node, String field, String prefix, List<FieldError> e) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      e.add(new FieldError(prefix + field, field + " must be a string"));
      return null;
    }
    return v.textValue();
  }

  private static boolean named(List<FieldError> errors, String field) {
    return errors.stream().anyMatch(e -> e.field().equals(field));
  }

  private static boolean isUri(String value, boolean absolute) {
    try {
      URI uri = new URI(value);
      return !absolute || uri.isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isBase64(JsonNode value) {
    if (!value.isTextual()) {
      return false;
    }
    try {
      Base64.getDecoder().decode(value.textValue());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
