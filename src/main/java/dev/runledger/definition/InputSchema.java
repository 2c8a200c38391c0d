package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prepares trigger parameters: fills in the {@code default}s of the input schema's properties (in
 * nested objects too), then validates the result against the schema.
 */
public final class InputSchema {
  private static final String FIELD = "parameters";

  private final JsonSchemas schemas;

  public InputSchema(JsonSchemas schemas) {
    this.schemas = schemas;
  }

  /**
   * The parameters with defaults applied (a copy; the argument is not changed).
   *
   * @param schema the definition's {@code inputs}, or null when it declares none
   * @param parameters an object, or null (missing) for none
   * @throws InvalidInputException naming each bad parameter, as {@code parameters.dueDays}
   */
  public ObjectNode apply(JsonNode schema, JsonNode parameters) {
    ObjectNode values;
    if (parameters == null || parameters.isNull() || parameters.isMissingNode()) {
      values = JsonNodeFactory.instance.objectNode();
    } else if (parameters.isObject()) {
      values = (ObjectNode) parameters.deepCopy();
    } else {
      throw new InvalidInputException(FIELD, "must be an object");
    }
    if (schema == null || schema.isNull()) {
      return values;
    }
    applyDefaults(schema, values);
    List<FieldError> errors = schemas.validate(schema, values, FIELD);
    if (!errors.isEmpty()) {
      throw new InvalidInputException("invalid parameters", errors);
    }
    return values;
  }

  /** Fills absent properties that have a default, then descends into nested objects and lists. */
  static void applyDefaults(JsonNode schema, JsonNode value) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    if (value.isObject() && schema.path("properties").isObject()) {
      ObjectNode object = (ObjectNode) value;
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        JsonNode propertySchema = property.getValue();
        JsonNode current = object.get(property.getKey());
        if (current == null && propertySchema.has("default")) {
          JsonNode filled = propertySchema.get("default").deepCopy();
          object.set(property.getKey(), filled);
          applyDefaults(propertySchema, filled);
        } else if (current != null) {
          applyDefaults(propertySchema, current);
        }
      }
    }
    if (value.isArray() && schema.path("items").isObject()) {
      for (JsonNode item : value) {
        applyDefaults(schema.get("items"), item);
      }
    }
  }
}
