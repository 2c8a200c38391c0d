package dev.runledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runledger.engine.trigger.CloudEvent;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.JsonErrors;
import io.cloudevents.CloudEventData;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.types.Time;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an event the CloudEvents SDK read into the engine's {@link CloudEvent}, and holds the rules
 * both modes check before the SDK reads: attribute names (lower-case letters and digits, as the
 * specification says) and how data of each media type is kept.
 */
final class SdkCloudEvents {
  /** The context attributes of CloudEvents 1.0; every other attribute is an extension. */
  static final Set<String> CONTEXT_ATTRIBUTES =
      Set.of(
          "specversion",
          "id",
          "source",
          "type",
          "subject",
          "time",
          "datacontenttype",
          "dataschema");

  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]+");

  private SdkCloudEvents() {}

  /** Whether a name is a valid CloudEvents attribute name: lower-case ASCII letters and digits. */
  static boolean isAttributeName(String name) {
    return ATTRIBUTE_NAME.matcher(name).matches();
  }

  /** What to say of an extension attribute named against the rule. */
  static String nameRule(String name) {
    return "'"
        + name
        + "' is not a valid CloudEvents attribute name: use only lower-case letters a-z and digits"
        + " 0-9";
  }

  /** A read-failure of the SDK as a 400, naming the field the SDK's message is about. */
  static InvalidInputException invalid(String field, RuntimeException e) {
    String message = e.getMessage() == null ? "is not a valid CloudEvent" : e.getMessage();
    if (e instanceof CloudEventRWException rw && rw.getCause() != null) {
      message = message + ": " + rw.getCause().getMessage();
    }
    return new InvalidInputException(
        "invalid CloudEvent", List.of(new FieldError(field, firstLine(message))));
  }

  private static String firstLine(String message) {
    String line = message.strip();
    int newline = line.indexOf('\n');
    return newline < 0 ? line : line.substring(0, newline).strip();
  }

  /**
   * The engine's event from the SDK's.
   *
   * @param field where a problem with the data is reported ({@code data}, {@code body})
   */
  static CloudEvent toEngine(io.cloudevents.CloudEvent event, String field) {
    ObjectNode extensions = Json.object();
    for (String name : event.getExtensionNames().stream().sorted().toList()) {
      Object value = event.getExtension(name);
      if (value instanceof Boolean b) {
        extensions.put(name, b);
      } else if (value instanceof Integer i) {
        extensions.put(name, i);
      } else if (value instanceof byte[] bytes) {
        extensions.put(name, Base64.getEncoder().encodeToString(bytes));
      } else if (value instanceof OffsetDateTime t) {
        extensions.put(name, Time.writeTime(t));
      } else if (value != null) {
        extensions.put(name, value.toString());
      }
    }
    String contentType = event.getDataContentType();
    JsonNode data = null;
    String base64 = null;
    CloudEventData payload = event.getData();
    if (payload instanceof JsonCloudEventData json) {
      data = json.getNode();
    } else if (payload != null) {
      byte[] bytes = payload.toBytes();
      if (isJson(contentType)) {
        data = json(bytes, contentType == null, field);
      }
      if (data == null && (contentType == null || isText(contentType))) {
        String text = utf8(bytes);
        if (text != null) {
          data = TextNode.valueOf(text);
        }
      }
      if (data == null) {
        base64 = Base64.getEncoder().encodeToString(bytes);
      }
    }
    URI schema = event.getDataSchema();
    return new CloudEvent(
        event.getId(),
        event.getSource() == null ? null : event.getSource().toString(),
        event.getType(),
        event.getSubject(),
        event.getTime() == null ? null : Time.writeTime(event.getTime()),
        event.getSpecVersion().toString(),
        contentType,
        schema == null ? null : schema.toString(),
        extensions,
        data,
        base64);
  }

  /** JSON and every {@code +json} type; no type at all is read as JSON when it parses. */
  static boolean isJson(String contentType) {
    String type = BodyTypes.mediaType(contentType);
    return type == null
        || type.equals("application/json")
        || type.equals("text/json")
        || type.endsWith("+json");
  }

  private static boolean isText(String contentType) {
    String type = BodyTypes.mediaType(contentType);
    return type.startsWith("text/")
        || type.endsWith("+xml")
        || type.equals("application/xml")
        || type.equals("application/x-www-form-urlencoded")
        || contentType.toLowerCase(Locale.ROOT).contains("charset=");
  }

  /** The bytes as JSON; null when they do not parse and {@code lenient} (no type was sent). */
  private static JsonNode json(byte[] bytes, boolean lenient, String field) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return Requests.BODY.readTree(bytes);
    } catch (JsonProcessingException e) {
      if (lenient) {
        return null;
      }
      throw new InvalidInputException(field, JsonErrors.describe("the data is not valid JSON", e));
    } catch (java.io.IOException e) {
      throw new InvalidInputException(field, "the data could not be read");
    }
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
