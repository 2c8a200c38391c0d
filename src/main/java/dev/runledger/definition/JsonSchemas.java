package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.runledger.model.FieldError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema (draft 2020-12) for definitions: checks that a schema is valid, compiles it once
 * (cached by canonical text), and validates values with errors named by field path. Remote {@code
 * $ref}s are never fetched.
 */
public final class JsonSchemas {
  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  private static final int MAX_CACHED = 512;
  private static final Set<String> NAMES_A_PROPERTY =
      Set.of("required", "dependentRequired", "additionalProperties", "unevaluatedProperties");

  private final SchemaRegistry registry;
  private final Schema metaSchema;
  private final Map<String, Schema> cache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Schema> eldest) {
              return size() > MAX_CACHED;
            }
          });

  public JsonSchemas() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder().locale(Locale.ENGLISH).formatAssertionsEnabled(true).build();
    this.registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder ->
                builder
                    .schemaRegistryConfig(config)
                    .schemaLoader(loader -> loader.fetchRemoteResources(false)));
    this.metaSchema = registry.getSchema(SchemaLocation.of(META_SCHEMA));
  }

  /**
   * What is wrong with a schema, or an empty list.
   *
   * @param field the schema's path in the definition, as {@code inputs}
   */
  public List<FieldError> check(JsonNode schema, String field) {
    if (schema == null || !schema.isObject()) {
      return List.of(new FieldError(field, "must be a JSON Schema object"));
    }
    List<FieldError> errors = toFieldErrors(metaSchema.validate(schema), field);
    if (!errors.isEmpty()) {
      return errors;
    }
    try {
      compile(schema).validate(JsonNodeFactory.instance.objectNode()); // resolves every $ref
      return List.of();
    } catch (RuntimeException e) {
      return List.of(new FieldError(field, "is not a usable JSON Schema: " + e.getMessage()));
    }
  }

  /**
   * The compiled schema, cached by canonical text.
   *
   * @throws IllegalArgumentException when the schema cannot be compiled
   */
  public Schema compile(JsonNode schema) {
    String key = CanonicalJson.write(schema);
    Schema compiled = cache.get(key);
    if (compiled == null) {
      try {
        compiled = registry.getSchema(schema);
        compiled.initializeValidators();
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("invalid JSON Schema: " + e.getMessage(), e);
      }
      cache.put(key, compiled);
    }
    return compiled;
  }

  /**
   * Validates a value.
   *
   * @param field the value's name in errors, as {@code parameters} or {@code outputs}
   * @return every violation, each named by its path below {@code field}
   */
  public List<FieldError> validate(JsonNode schema, JsonNode value, String field) {
    return toFieldErrors(compile(schema).validate(value), field);
  }

  private static List<FieldError> toFieldErrors(List<Error> errors, String field) {
    List<FieldError> out = new ArrayList<>(errors.size());
    for (Error error : errors) {
      String path = path(field, error.getInstanceLocation());
      String keyword = error.getKeyword();
      if (NAMES_A_PROPERTY.contains(keyword) && error.getProperty() != null) {
        path = FieldPath.key(path, error.getProperty());
        boolean missing = keyword.equals("required") || keyword.equals("dependentRequired");
        out.add(new FieldError(path, missing ? "is required" : "is not defined in the schema"));
      } else {
        out.add(new FieldError(path, error.getMessage()));
      }
    }
    return out;
  }

  private static String path(String field, NodePath location) {
    String path = field;
    if (location == null) {
      return path;
    }
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path =
          element instanceof Integer index
              ? FieldPath.index(path, index)
              : FieldPath.key(path, String.valueOf(element));
    }
    return path;
  }
}
