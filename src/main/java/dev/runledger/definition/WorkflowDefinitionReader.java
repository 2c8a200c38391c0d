package dev.runledger.definition;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.RetryPolicy;
import dev.runledger.model.StepTarget;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.model.WorkflowStep;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and validates a workflow definition (DEFINITIONS.md): triggers, steps as a DAG, their
 * expressions. Every problem is reported at once under its field path ({@code steps[1].needs[0]}).
 * Whether the actions a step uses exist is checked by the caller, which has the store.
 */
public final class WorkflowDefinitionReader {
  public static final int MAX_STEPS = 200;
  private static final List<String> ROLES = List.of("viewer", "operator", "approver", "admin");
  private static final Pattern SECRETS_IN_TEMPLATE = Pattern.compile("\\$\\{\\{[^}]*\\bsecrets\\b");
  private static final Pattern SECRETS_IN_CONDITION = Pattern.compile("\\bsecrets\\b");
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final DefinitionChecks checks;

  public WorkflowDefinitionReader(DefinitionChecks checks) {
    this.checks = checks;
  }

  /**
   * Validates a parsed workflow definition.
   *
   * @param project the request's project; a differing {@code project:} key is an error
   * @throws InvalidInputException listing every problem found
   */
  public WorkflowDefinition read(JsonNode definition, String project) {
    Problems problems = new Problems();
    ObjectReader top = ObjectReader.of(definition, "", problems);
    if (top == null) {
      problems.throwIfAny("invalid workflow definition");
    }
    DefinitionChecks.Header header = checks.header(top, "workflow", project);
    String description = top.string("description", false);
    JsonNode inputs = checks.objectSchema(top, "inputs");
    readOn(top.object("on", false));
    String review = top.oneOf("review", false, List.of("required", "none"));
    Integer limit = null;
    ObjectReader concurrency = top.object("concurrency", false);
    if (concurrency != null) {
      limit = concurrency.integer("limit", true, 1, 10_000);
      concurrency.rejectUnknown();
    }
    List<WorkflowStep> steps = readSteps(top, problems);
    top.rejectUnknown();
    problems.throwIfAny("invalid workflow definition");
    return new WorkflowDefinition(
        header.project(),
        header.name(),
        description,
        inputs == null ? null : inputs.deepCopy(),
        top.node().has("on") ? top.node().get("on").deepCopy() : null,
        review == null ? "none" : review,
        limit,
        steps);
  }

  private void readOn(ObjectReader on) {
    if (on == null) {
      return;
    }
    on.bool("manual", false);
    List<ObjectReader> schedules = on.objects("schedule", false, false);
    if (schedules != null) {
      for (ObjectReader s : schedules) {
        String cron = s.nonBlank("cron", true);
        if (cron != null) {
          try {
            CRON.parse(cron).validate();
          } catch (IllegalArgumentException e) {
            s.problem("cron", "is not a five-field cron expression: " + e.getMessage());
          }
        }
        String zone = s.nonBlank("timezone", false);
        if (zone != null) {
          try {
            ZoneId.of(zone);
          } catch (DateTimeException e) {
            s.problem("timezone", "is not a time zone such as UTC or Europe/Oslo");
          }
        }
        s.object("parameters", false);
        s.oneOf("missed", false, List.of("skip", "run-once"));
        s.rejectUnknown();
      }
    }
    List<ObjectReader> events = on.objects("events", false, false);
    if (events != null) {
      for (ObjectReader e : events) {
        e.nonBlank("type", true);
        e.nonBlank("source", false);
        checks.condition(e, "if");
        readEventParameters(e.object("parameters", false));
        e.rejectUnknown();
      }
    }
    on.rejectUnknown();
  }

  /**
   * An event trigger's {@code parameters}: templates over {@code event}, rendered when the event
   * arrives. Secrets are refused for the reason steps refuse them: the rendered values are stored
   * as the run's parameters.
   */
  private void readEventParameters(ObjectReader parameters) {
    if (parameters == null) {
      return;
    }
    checks.expressions(parameters.node(), parameters.path(), parameters.problems());
    for (Iterator<Map.Entry<String, JsonNode>> it = parameters.node().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (SECRETS_IN_TEMPLATE.matcher(field.getValue().toString()).find()) {
        parameters.problem(
            field.getKey(),
            "uses secrets; an event's parameters are stored with the run it starts, so secrets"
                + " are resolved inside actions (for example in an http header) and not here");
      }
    }
  }

  private List<WorkflowStep> readSteps(ObjectReader top, Problems problems) {
    List<ObjectReader> readers = top.objects("steps", true, true);
    List<WorkflowStep> steps = new ArrayList<>();
    if (readers == null) {
      return steps;
    }
    if (readers.size() > MAX_STEPS) {
      top.problem("steps", "a workflow has at most " + MAX_STEPS + " steps");
    }
    Map<String, String> pathById = new LinkedHashMap<>();
    for (ObjectReader s : readers) {
      WorkflowStep step = readStep(s, problems);
      if (step == null) {
        continue;
      }
      if (pathById.containsKey(step.id())) {
        s.problem("id", "duplicates the step id '" + step.id() + "' at " + pathById.get(step.id()));
        continue;
      }
      pathById.put(step.id(), s.path());
      steps.add(step);
    }
    Map<String, WorkflowStep> byId = new HashMap<>();
    steps.forEach(st -> byId.put(st.id(), st));
    for (WorkflowStep step : steps) {
      for (int i = 0; i < step.needs().size(); i++) {
        String need = step.needs().get(i);
        if (!byId.containsKey(need)) {
          problems.add(
              FieldPath.index(FieldPath.key(pathById.get(step.id()), "needs"), i),
              "names no step of this workflow: " + need);
        } else if (need.equals(step.id())) {
          problems.add(
              FieldPath.index(FieldPath.key(pathById.get(step.id()), "needs"), i),
              "a step cannot need itself");
        }
      }
    }
    List<String> cycle = cycle(steps, byId);
    if (!cycle.isEmpty()) {
      problems.add(
          FieldPath.key(pathById.get(cycle.get(0)), "needs"),
          "the steps form a cycle: " + String.join(" -> ", cycle));
    }
    return steps;
  }

  private WorkflowStep readStep(ObjectReader s, Problems problems) {
    String id = s.name("id", true);
    String usesText = s.nonBlank("uses", true);
    StepTarget uses = null;
    if (usesText != null) {
      try {
        uses = StepTarget.parse(usesText);
      } catch (IllegalArgumentException e) {
        s.problem("uses", e.getMessage());
      }
    }
    JsonNode with = s.any("with", false);
    if (with != null
        && !with.isObject()
        && !(with.isTextual() && TemplateSyntax.hasExpression(with.textValue()))) {
      s.problem("with", "must be an object of parameters (or one ${{ }} expression giving one)");
    }
    checks.expressions(with, s.pathOf("with"), problems);
    List<String> needs = s.strings("needs", false, false);
    String condition = checks.condition(s, "if");
    String forEach = template(s, "forEach", problems);
    String subjectKey = template(s, "subjectKey", problems);
    if (subjectKey != null && forEach == null) {
      s.problem("subjectKey", "only applies with forEach");
    }
    String idempotencyKey = template(s, "idempotencyKey", problems);
    RetryPolicy retry = checks.retry(s, "retry");
    Duration timeout = checks.positiveDuration(s, "timeout");
    Boolean continueOnError = s.bool("continueOnError", false);
    ObjectReader approval = s.object("approval", false);
    if (approval != null) {
      approval.oneOf("role", false, ROLES);
      checks.positiveDuration(approval, "expiresIn");
      approval.bool("allowSelfApproval", false);
      approval.rejectUnknown();
    }
    rejectSecrets(s, List.of("with", "if", "forEach", "subjectKey", "idempotencyKey"));
    s.rejectUnknown();
    if (id == null || uses == null) {
      return null;
    }
    return new WorkflowStep(
        id,
        uses,
        with == null ? null : with.deepCopy(),
        needs == null ? List.of() : List.copyOf(new HashSet<>(needs)).stream().sorted().toList(),
        condition,
        forEach,
        subjectKey,
        idempotencyKey,
        retry,
        timeout,
        Boolean.TRUE.equals(continueOnError),
        approval == null ? null : approval.node().deepCopy());
  }

  /**
   * Secrets are resolved inside actions at execution time, never in a step's templates: a value
   * rendered there would be stored with the task's parameters.
   */
  private static void rejectSecrets(ObjectReader s, List<String> keys) {
    for (String key : keys) {
      JsonNode value = s.node().get(key);
      Pattern pattern = key.equals("if") ? SECRETS_IN_CONDITION : SECRETS_IN_TEMPLATE;
      if (value != null && pattern.matcher(value.toString()).find()) {
        s.problem(
            key,
            "uses secrets; secrets are resolved inside actions (for example in an http header),"
                + " so pass them there rather than through a step");
      }
    }
  }

  private String template(ObjectReader s, String key, Problems problems) {
    String text = s.nonBlank(key, false);
    if (text != null) {
      checks.expressions(s.node().get(key), s.pathOf(key), problems);
    }
    return text;
  }

  /** A cycle among the steps' needs, as step ids from and back to one step; empty if none. */
  private static List<String> cycle(List<WorkflowStep> steps, Map<String, WorkflowStep> byId) {
    Map<String, Integer> state = new HashMap<>();
    for (WorkflowStep s : steps) {
      List<String> path = new ArrayList<>();
      if (visit(s.id(), byId, state, path)) {
        return path;
      }
    }
    return List.of();
  }

  private static boolean visit(
      String id, Map<String, WorkflowStep> byId, Map<String, Integer> state, List<String> path) {
    Integer st = state.get(id);
    if (st != null && st == 2) {
      return false;
    }
    if (st != null && st == 1) {
      int from = path.indexOf(id);
      List<String> loop = new ArrayList<>(path.subList(from, path.size()));
      loop.add(id);
      path.clear();
      path.addAll(loop);
      return true;
    }
    WorkflowStep step = byId.get(id);
    if (step == null) {
      return false;
    }
    state.put(id, 1);
    path.add(id);
    for (String need : step.needs()) {
      if (!need.equals(id) && visit(need, byId, state, path)) {
        return true;
      }
    }
    path.remove(path.size() - 1);
    state.put(id, 2);
    return false;
  }
}
