package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.model.WorkflowStep;
import dev.runledger.store.Tx;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The expression variables a run's steps see, read from the run and the steps they name. */
final class StepVariables {
  /** A reference to another step in an expression: {@code steps.id} or {@code steps['id']}. */
  static final Pattern STEP_REFERENCE =
      Pattern.compile("steps\\s*(?:\\.\\s*([A-Za-z0-9_]+)|\\[\\s*['\"]([^'\"]+)['\"]\\s*\\])");

  private final DefinitionService definitions;

  StepVariables(DefinitionService definitions) {
    this.definitions = definitions;
  }

  /**
   * The variables a step's expressions see: {@code inputs}, {@code trigger} (with {@code isoWeek}
   * and {@code date}), {@code event}, {@code run}, {@code now}, {@code steps.<id>.outputs} and
   * {@code steps.<id>.files} of the steps its templates name (a list for a fan-out step).
   */
  Map<String, Object> of(Tx tx, Run run, WorkflowStep step) {
    ObjectNode runVars = Json.object();
    runVars.put("id", run.id());
    runVars.put("project", run.project());
    runVars.put("workflow", run.workflow());
    runVars.put("triggeredBy", run.triggeredBy());
    runVars.set("labels", run.labels());
    Map<String, Object> vars = base(run.parameters(), run.trigger(), run.createdAt(), runVars);
    ObjectNode steps = Json.object();
    if (step != null) {
      for (String referenced : referencedSteps(step)) {
        List<JsonNode> outputs = tx.tasks().outputsOfStep(run.id(), referenced);
        ObjectNode entry = steps.putObject(referenced);
        if (isFanOut(run, referenced)) {
          ArrayNode list = entry.putArray("outputs");
          outputs.forEach(list::add);
        } else {
          entry.set("outputs", outputs.isEmpty() ? Json.object() : outputs.get(0));
        }
        // The files it produced, by name: sha256:<hex> (what command.inputs.files take).
        entry.set(
            "files", Json.MAPPER.valueToTree(tx.artifacts().filesOfStep(run.id(), referenced)));
      }
    }
    vars.put("steps", steps);
    return vars;
  }

  /** The variables of a run that do not depend on its steps: inputs, trigger, event, run. */
  static Map<String, Object> base(
      JsonNode parameters, JsonNode runTrigger, Instant createdAt, ObjectNode runVars) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("inputs", parameters);
    ObjectNode trigger = runTrigger.deepCopy();
    Instant at = Instant.parse(trigger.path("at").asText(createdAt.toString()));
    OffsetDateTime utc = at.atOffset(ZoneOffset.UTC);
    trigger.put(
        "isoWeek",
        String.format(
            "%d-W%02d",
            utc.get(IsoFields.WEEK_BASED_YEAR), utc.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
    trigger.put("date", utc.toLocalDate().toString());
    vars.put("trigger", trigger);
    JsonNode event = runTrigger.path("event");
    vars.put("event", event.isObject() ? event : Json.object());
    vars.put("run", runVars);
    return vars;
  }

  private boolean isFanOut(Run run, String stepId) {
    WorkflowDefinition workflow =
        definitions.workflow(run.project(), run.workflow(), run.revision());
    return workflow.steps().stream().anyMatch(s -> s.id().equals(stepId) && s.forEach() != null);
  }

  private static List<String> referencedSteps(WorkflowStep step) {
    StringBuilder text = new StringBuilder();
    for (Object part :
        new Object[] {
          step.with(), step.forEach(), step.subjectKey(), step.condition(), step.idempotencyKey()
        }) {
      if (part != null) {
        text.append(part).append('\n');
      }
    }
    List<String> ids = new ArrayList<>();
    Matcher m = STEP_REFERENCE.matcher(text);
    while (m.find()) {
      String id = m.group(1) != null ? m.group(1) : m.group(2);
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return ids;
  }
}
