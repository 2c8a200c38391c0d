package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.StepTarget;
import dev.runledger.model.WorkflowDefinition;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The definition layer as the engine uses it: parse, validate and hash definitions, validate
 * parameters and outputs against their schemas, render templates. Built once by the wiring.
 */
public final class Definitions {
  private final DefinitionParser parser = new DefinitionParser();
  private final JsonSchemas schemas = new JsonSchemas();
  private final InputSchema inputs = new InputSchema(schemas);
  private final Expressions expressions;
  private final TemplateRenderer renderer;
  private final ActionDefinitionReader actions;
  private final WorkflowDefinitionReader workflows;

  public Definitions(Clock clock) {
    this(clock, Expressions.Limits.DEFAULT);
  }

  /** With expression limits of its own (lists as long as the largest fan-out allowed, say). */
  public Definitions(Clock clock, Expressions.Limits limits) {
    this.expressions = new Expressions(clock, limits);
    this.renderer = new TemplateRenderer(expressions);
    DefinitionChecks checks = new DefinitionChecks(expressions, schemas);
    this.actions = new ActionDefinitionReader(checks);
    this.workflows = new WorkflowDefinitionReader(checks);
  }

  /**
   * A definition that passed validation.
   *
   * @param normalized the document as stored (project filled in), whose hash is {@code hash}
   * @param uses what its steps use, by field path (empty for actions), for the caller to resolve
   */
  public record Validated(
      String name, String hash, ObjectNode normalized, Map<String, StepTarget> uses) {}

  /** Parses YAML or JSON text with the safety limits; errors name the line. */
  public ObjectNode parse(String body, boolean yaml) {
    return parser.parse(body, yaml);
  }

  /**
   * Validates a definition of {@code kind} for {@code project}.
   *
   * @throws InvalidInputException with every problem, each naming its field
   */
  public Validated validate(String kind, JsonNode document, String project) {
    JsonNode declared = document.get("kind");
    if (declared != null && declared.isTextual() && !declared.asText().equals(kind)) {
      throw new InvalidInputException(
          "kind", "this route takes kind " + kind + ", the document is kind " + declared.asText());
    }
    ObjectNode normalized = actions.normalize(document, project);
    if (kind.equals("workflow")) {
      WorkflowDefinition workflow = workflows.read(document, project);
      Map<String, StepTarget> uses = new LinkedHashMap<>();
      for (int i = 0; i < workflow.steps().size(); i++) {
        uses.put("steps[" + i + "].uses", workflow.steps().get(i).uses());
      }
      return new Validated(workflow.name(), DefinitionHash.of(normalized), normalized, uses);
    }
    ActionDefinition action = actions.read(document, project);
    return new Validated(action.name(), DefinitionHash.of(normalized), normalized, Map.of());
  }

  /** The typed workflow of a stored (already validated) definition. */
  public WorkflowDefinition workflow(JsonNode definition, String project) {
    return workflows.read(definition, project);
  }

  /** Evaluates a bare CEL expression (an {@code if:} condition) to a boolean. */
  public boolean test(String condition, Map<String, ?> variables) {
    return expressions.test(condition, expressions.bind(variables));
  }

  /** The typed action of a stored (already validated) definition. */
  public ActionDefinition action(JsonNode definition, String project) {
    return actions.read(definition, project);
  }

  /** Applies defaults and validates parameters against an inputs schema (null: any object). */
  public ObjectNode applyInputs(JsonNode schema, JsonNode parameters) {
    return inputs.apply(schema, parameters);
  }

  /** Problems of outputs against an outputs schema, each naming the field; empty when valid. */
  public List<String> checkOutputs(JsonNode schema, JsonNode outputs) {
    return schemas.validate(schema, outputs, "outputs").stream()
        .map(e -> e.field() + ": " + e.message())
        .toList();
  }

  /** Renders {@code ${{ }}} templates; throws {@link ExpressionException} naming the expression. */
  public JsonNode render(JsonNode template, Map<String, ?> variables) {
    return renderer.render(template, variables);
  }

  /**
   * Renders each value of an object of templates against the same variables.
   *
   * @param path the object's field path, which an error names the failing key under ({@code
   *     on.events[0].parameters.region})
   * @throws ExpressionException naming the key and the expression that failed
   */
  public ObjectNode renderFields(ObjectNode template, Map<String, ?> variables, String path) {
    Expressions.Bindings bindings = expressions.bind(variables);
    ObjectNode out = template.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      try {
        out.set(field.getKey(), renderer.render(field.getValue(), bindings));
      } catch (ExpressionException e) {
        throw new ExpressionException(
            FieldPath.key(path, field.getKey()) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
