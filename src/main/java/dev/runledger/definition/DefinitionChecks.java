package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.RetryPolicy;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks shared by the action and workflow readers: expressions in every string of a section, JSON
 * Schemas, timeouts and retry policies. Each reports problems under the field's path.
 */
public final class DefinitionChecks {
  /** Largest {@code retry.maxAttempts}. */
  public static final int MAX_ATTEMPTS = 100;

  private final Expressions expressions;
  private final JsonSchemas schemas;

  public DefinitionChecks(Expressions expressions, JsonSchemas schemas) {
    this.expressions = expressions;
    this.schemas = schemas;
  }

  /** Compiles every "${{ }}" in every string below {@code node} (object keys are not templates). */
  public void expressions(JsonNode node, String path, Problems problems) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      for (String problem : expressions.compileCheck(node.textValue())) {
        problems.add(path, problem);
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        expressions(field.getValue(), FieldPath.key(path, field.getKey()), problems);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        expressions(node.get(i), FieldPath.index(path, i), problems);
      }
    }
  }

  /** Compiles a bare CEL expression (an {@code if:} condition) at {@code key}. */
  public String condition(ObjectReader reader, String key) {
    String text = reader.nonBlank(key, false);
    if (text != null) {
      for (String problem : expressions.check(text)) {
        reader.problem(key, "in `" + ObjectReader.abbreviate(text) + "` " + problem);
      }
    }
    return text;
  }

  /**
   * A JSON Schema for an object (parameters, outputs) at {@code key}: valid, and if it names a
   * {@code type}, that type is {@code object}.
   */
  public JsonNode objectSchema(ObjectReader reader, String key) {
    JsonNode schema = reader.any(key, false);
    if (schema == null) {
      return null;
    }
    String path = reader.pathOf(key);
    if (!schema.isObject()) {
      reader
          .problems()
          .add(path, "must be a JSON Schema object (as {type: object, properties: …})");
      return null;
    }
    JsonNode type = schema.get("type");
    if (type != null && !(type.isTextual() && type.textValue().equals("object"))) {
      reader.problems().add(FieldPath.key(path, "type"), "must be \"object\"");
      return null;
    }
    var errors = schemas.check(schema, path);
    reader.problems().addAll(errors);
    return errors.isEmpty() ? schema : null;
  }

  /** A positive duration at {@code key}. */
  public Duration positiveDuration(ObjectReader reader, String key) {
    Duration duration = reader.duration(key, false);
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      reader.problem(key, "must be longer than zero");
      return null;
    }
    return duration;
  }

  /** {@code retry: {maxAttempts, backoff, maxBackoff}}, or null when absent. */
  public RetryPolicy retry(ObjectReader parent, String key) {
    ObjectReader retry = parent.object(key, false);
    if (retry == null) {
      return null;
    }
    Integer maxAttempts = retry.integer("maxAttempts", true, 1, MAX_ATTEMPTS);
    Duration backoff = retry.duration("backoff", false);
    Duration maxBackoff = retry.duration("maxBackoff", false);
    retry.rejectUnknown();
    if (backoff != null && maxBackoff != null && maxBackoff.compareTo(backoff) < 0) {
      retry.problem("maxBackoff", "must not be shorter than backoff");
      return null;
    }
    if (maxAttempts == null) {
      return null;
    }
    return new RetryPolicy(
        maxAttempts,
        backoff == null ? Duration.ZERO : backoff,
        maxBackoff == null ? Duration.ZERO : maxBackoff);
  }

  /** The name and project every definition starts with. */
  public record Header(String name, String project) {}

  /**
   * Checks the {@code kind}, {@code name} and {@code project} keys every definition has; a {@code
   * project:} that differs from the request's is an error.
   *
   * @param requested the request's project ({@code ?project=}), or null when it names none
   */
  public Header header(ObjectReader top, String kind, String requested) {
    String declaredKind = top.string("kind", true);
    if (declaredKind != null && !declaredKind.equals(kind)) {
      top.problem("kind", "must be \"" + kind + "\"");
    }
    String name = top.name("name", true);
    String declared = top.name("project", false);
    if (requested != null && !ObjectReader.isName(requested)) {
      top.problem("project", "the request's " + ObjectReader.nameRule(requested));
    } else if (requested != null && declared != null && !declared.equals(requested)) {
      top.problem(
          "project", "is '" + declared + "' but the request is for project '" + requested + "'");
    }
    return new Header(name, ActionDefinitionReader.effectiveProject(top.node(), requested));
  }
}
