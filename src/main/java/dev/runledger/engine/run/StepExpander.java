package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.definition.CelValues;
import dev.runledger.definition.Definitions;
import dev.runledger.definition.ExpressionLimitException;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.Failure;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.SkipReason;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.WorkflowStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a ready step into its tasks, a page at a time: evaluates {@code forEach}, each subject's
 * key, {@code if}, {@code with} and {@code idempotencyKey}, and checks the parameters against the
 * action's inputs. No I/O: the caller gives the variables and stores the result.
 */
public final class StepExpander {
  static final int MAX_SUBJECT_KEY = 200;

  private final Definitions definitions;
  private final SubjectLimits limits;

  public StepExpander(Definitions definitions, SubjectLimits limits) {
    this.definitions = definitions;
    this.limits = limits;
  }

  public SubjectLimits limits() {
    return limits;
  }

  /**
   * How many subjects the step's forEach gives, evaluating the list only (no subject keys); -1 if
   * it cannot be evaluated (the step then fails when it starts). An evaluation stopped by the list
   * limit ({@code lists.range(n)} past it, say) gives the size the list would have had.
   */
  public long count(WorkflowStep step, Map<String, Object> variables) {
    try {
      JsonNode value = forEach(step, variables);
      return value != null && value.isArray() ? value.size() : -1;
    } catch (ExpressionLimitException e) {
      return e.elements() ? e.size() : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private JsonNode forEach(WorkflowStep step, Map<String, Object> variables) {
    return definitions.render(Json.MAPPER.getNodeFactory().textNode(step.forEach()), variables);
  }

  /**
   * Plans tasks {@code from} (inclusive) up to {@code from + limit} of the step.
   *
   * @param items the evaluated forEach list (null for a step without forEach)
   * @param variables the run's expression variables (inputs, trigger, event, run, steps, now)
   */
  public StepExpansion expand(
      String runId,
      WorkflowStep step,
      ActionDefinition action,
      List<Object> items,
      Map<String, Object> variables,
      int from,
      int limit) {
    if (step.forEach() == null) {
      PlannedTask task = plan(runId, step, action, step.id(), null, null, variables);
      return new StepExpansion(1, List.of(task), null);
    }
    List<PlannedTask> page = new ArrayList<>();
    for (int i = from; i < Math.min(items.size(), from + limit); i++) {
      Object item = items.get(i);
      String key = subjectKey(step, item, i, variables);
      Map<String, Object> withItem = new HashMap<>(variables);
      withItem.put("item", item);
      page.add(plan(runId, step, action, step.id() + "[" + key + "]", key, item, withItem));
    }
    return new StepExpansion(items.size(), page, null);
  }

  /**
   * Evaluates the step's forEach, checks it against the subject limits and its subject keys are
   * unique.
   *
   * @param otherTasks how many tasks the run's other steps have (toward the per-run limit)
   * @return the items, or a failure saying why the step cannot fan out
   */
  public Object items(WorkflowStep step, Map<String, Object> variables, long otherTasks) {
    JsonNode value;
    try {
      value = forEach(step, variables);
    } catch (ExpressionLimitException e) {
      return e.elements()
          ? Failure.deterministic(limits.tooManyInStep(step.id(), e.size()), SubjectLimits.HINT)
          : Failure.deterministic(
              "forEach of step " + step.id() + " failed: " + e.getMessage(),
              "fix the forEach expression or the data it reads");
    } catch (RuntimeException e) {
      return Failure.deterministic(
          "forEach of step " + step.id() + " failed: " + e.getMessage(),
          "fix the forEach expression or the data it reads");
    }
    if (value == null || !value.isArray()) {
      return Failure.deterministic(
          "forEach of step "
              + step.id()
              + " gave "
              + (value == null || value.isNull()
                  ? "null"
                  : value.getNodeType().name().toLowerCase())
              + ", not a list",
          "forEach must evaluate to a list of subjects");
    }
    if (value.size() > limits.perStep()) {
      return Failure.deterministic(
          limits.tooManyInStep(step.id(), value.size()), SubjectLimits.HINT);
    }
    if (otherTasks + value.size() > limits.perRun()) {
      return Failure.deterministic(
          limits.tooManyInRun(step.id(), value.size(), otherTasks), SubjectLimits.HINT);
    }
    List<Object> items = new ArrayList<>(value.size());
    for (JsonNode element : value) {
      items.add(CelValues.fromJson(element));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String key;
      try {
        key = subjectKey(step, items.get(i), i, variables);
      } catch (RuntimeException e) {
        return Failure.deterministic(
            "the subject key of item " + i + " of step " + step.id() + " failed: " + e.getMessage(),
            "fix the subjectKey expression");
      }
      Integer earlier = seen.putIfAbsent(key, i);
      if (earlier != null) {
        return Failure.deterministic(
            "duplicate subject key '"
                + key
                + "' in step "
                + step.id()
                + " (items "
                + earlier
                + " and "
                + i
                + ")",
            "subject keys must be unique within a step: choose a subjectKey that tells them apart");
      }
      if (key.length() > MAX_SUBJECT_KEY || key.isEmpty()) {
        return Failure.deterministic(
            "the subject key of item "
                + i
                + " of step "
                + step.id()
                + " is empty or longer than "
                + MAX_SUBJECT_KEY
                + " characters",
            "choose a shorter subjectKey");
      }
    }
    return items;
  }

  private String subjectKey(WorkflowStep step, Object item, int index, Map<String, Object> vars) {
    if (step.subjectKey() != null) {
      Map<String, Object> withItem = new HashMap<>(vars);
      withItem.put("item", item);
      JsonNode key =
          definitions.render(Json.MAPPER.getNodeFactory().textNode(step.subjectKey()), withItem);
      return key.isValueNode() ? key.asText() : key.toString();
    }
    if (item instanceof Map<?, ?> map) {
      for (String field : List.of("id", "key", "name")) {
        Object v = map.get(field);
        if (v instanceof String || v instanceof Number) {
          return String.valueOf(v);
        }
      }
    } else if (item instanceof String || item instanceof Number || item instanceof Boolean) {
      return String.valueOf(item);
    }
    return String.valueOf(index);
  }

  private PlannedTask plan(
      String runId,
      WorkflowStep step,
      ActionDefinition action,
      String name,
      String subjectKey,
      Object item,
      Map<String, Object> vars) {
    JsonNode subject = item == null ? null : CelValues.toJson(item);
    String defaultKey = runId + "/" + name;
    try {
      if (step.condition() != null && !definitions.test(step.condition(), vars)) {
        return new PlannedTask(
            name,
            subjectKey,
            subject,
            Json.object(),
            defaultKey,
            TaskStatus.SKIPPED,
            SkipReason.CONDITION_FALSE,
            null);
      }
    } catch (RuntimeException e) {
      return failed(
          name,
          subjectKey,
          subject,
          defaultKey,
          "the if condition failed: " + e.getMessage(),
          "fix the if expression or the data it reads");
    }
    JsonNode parameters;
    try {
      JsonNode with = step.with() == null ? Json.object() : definitions.render(step.with(), vars);
      parameters = definitions.applyInputs(action.inputs(), with);
    } catch (InvalidInputException e) {
      String fields =
          e.errors().stream()
              .map(f -> f.field() + ": " + f.message())
              .collect(Collectors.joining("; "));
      return failed(
          name,
          subjectKey,
          subject,
          defaultKey,
          "the parameters for action " + action.name() + " are invalid: " + fields,
          "fix the step's with: so it matches the action's inputs");
    } catch (RuntimeException e) {
      return failed(
          name,
          subjectKey,
          subject,
          defaultKey,
          "the step's with: failed: " + e.getMessage(),
          "fix the with expressions or the data they read");
    }
    String key = defaultKey;
    if (step.idempotencyKey() != null) {
      try {
        JsonNode k =
            definitions.render(Json.MAPPER.getNodeFactory().textNode(step.idempotencyKey()), vars);
        key = k.isValueNode() ? k.asText() : k.toString();
      } catch (RuntimeException e) {
        return failed(
            name,
            subjectKey,
            subject,
            defaultKey,
            "the idempotencyKey failed: " + e.getMessage(),
            "fix the idempotencyKey expression");
      }
    }
    TaskStatus status = step.approval() != null ? TaskStatus.AWAITING_APPROVAL : TaskStatus.QUEUED;
    return new PlannedTask(name, subjectKey, subject, parameters, key, status, null, null);
  }

  private static PlannedTask failed(
      String name, String subjectKey, JsonNode subject, String key, String cause, String hint) {
    ObjectNode none = Json.object();
    return new PlannedTask(
        name,
        subjectKey,
        subject,
        none,
        key,
        TaskStatus.FAILED,
        null,
        Failure.deterministic(cause, hint));
  }
}
