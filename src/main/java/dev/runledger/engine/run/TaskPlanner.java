package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.Failure;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Run;
import dev.runledger.model.SkipReason;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.model.WorkflowStep;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a ready step into its tasks, one page at a time, with their parameters, subjects and
 * idempotency keys.
 */
public final class TaskPlanner {
  /** Tasks created per transaction when a step fans out. */
  public static final int PAGE = 1000;

  private static final Pattern INPUT_REFERENCE =
      Pattern.compile("inputs\\s*(?:\\.\\s*([A-Za-z0-9_]+)|\\[\\s*['\"]([^'\"]+)['\"]\\s*\\])");

  private final DefinitionService definitions;
  private final StepExpander expander;
  private final Clock clock;
  private final StepVariables variables;

  /**
   * forEach lists evaluated outside the writer ({@link #prepare}) before a step's first page, kept
   * while its pages are planned; or the failure that stops the step.
   */
  private final Map<String, Object> items = new ConcurrentHashMap<>();

  /**
   * True if the task's action is a built-in that ends at once ({@link InlineBuiltins}): its job is
   * run by the claim itself. False for a child run's task or an action that cannot be read.
   */
  boolean runsInline(Run run, Task task) {
    if (ChildRuns.isChild(task)) {
      return false;
    }
    try {
      return InlineBuiltins.runsInline(
          definitions.action(run.project(), task.action(), task.actionRevision()));
    } catch (RuntimeException e) {
      return false;
    }
  }

  public TaskPlanner(DefinitionService definitions, StepExpander expander, Clock clock) {
    this.definitions = definitions;
    this.variables = new StepVariables(definitions);
    this.expander = expander;
    this.clock = clock;
  }

  /**
   * A page of a step's tasks, ready to store.
   *
   * @param total null while the step's forEach list is not yet {@link #prepare prepared} (the page
   *     is then empty)
   */
  public record Page(List<Task> tasks, int planned, Integer total, int matched) {
    boolean done() {
      return total != null && planned >= total;
    }

    boolean prepared() {
      return total != null;
    }
  }

  /** The blueprint of a run: its workflow's steps as pinned, or one step for an action run. */
  public RunBlueprint blueprint(Run run) {
    if (run.workflow() == null) {
      RunBlueprint.Target target =
          new RunBlueprint.Target("action", run.action(), run.revision(), run.definitionHash());
      return new RunBlueprint(
          List.of(new StepSpec(run.action(), List.of(), false)),
          Map.of(run.action(), target),
          null);
    }
    WorkflowDefinition workflow =
        definitions.workflow(run.project(), run.workflow(), run.revision());
    List<StepSpec> steps = new ArrayList<>();
    Map<String, RunBlueprint.Target> targets = new LinkedHashMap<>();
    for (WorkflowStep s : workflow.steps()) {
      steps.add(new StepSpec(s.id(), s.needs(), s.continueOnError()));
      JsonNode pin = run.plan().path("steps").path(s.id());
      targets.put(
          s.id(),
          new RunBlueprint.Target(
              pin.path("kind").asText(),
              pin.path("name").asText(),
              pin.path("revision").asInt(),
              pin.path("hash").asText()));
    }
    return new RunBlueprint(steps, targets, workflow);
  }

  /**
   * Plans the next page of a step's tasks, numbered after {@code afterSeq}.
   *
   * @param from how many of the step's tasks exist already
   */
  public Page page(Tx tx, Run run, RunBlueprint blueprint, String stepId, int from, int afterSeq) {
    RunBlueprint.Target target = blueprint.targets().get(stepId);
    WorkflowStep step = blueprint.step(stepId);
    if (step == null) {
      Task task =
          task(
              run,
              target,
              afterSeq + 1,
              stepId,
              stepId,
              null,
              null,
              run.parameters(),
              run.id() + "/" + stepId,
              TaskStatus.QUEUED,
              null,
              null);
      return new Page(List.of(task), 1, 1, 0);
    }
    ActionDefinition action =
        target.isWorkflow()
            ? null
            : definitions.action(run.project(), target.name(), target.revision());
    List<Object> list = null;
    if (step.forEach() != null) {
      String key = run.id() + "\u0000" + stepId;
      Object prepared = items.get(key);
      if (prepared == null) {
        // The whole list is evaluated outside the shared writer (see prepare), not here.
        return new Page(List.of(), from, null, 0);
      }
      if (prepared instanceof Failure failure) {
        tx.afterCommit(() -> items.remove(key));
        Task failed =
            task(
                run,
                target,
                afterSeq + 1,
                stepId,
                stepId,
                null,
                null,
                Json.object(),
                run.id() + "/" + stepId,
                TaskStatus.FAILED,
                null,
                failure);
        return new Page(List.of(failed), 1, 1, 0);
      }
      @SuppressWarnings("unchecked")
      List<Object> evaluated = (List<Object>) prepared;
      list = evaluated;
    }
    Map<String, Object> variables = variables(tx, run, step);
    StepExpansion expansion =
        expander.expand(
            run.id(),
            step,
            action == null ? childAction(target) : action,
            list,
            variables,
            from,
            PAGE);
    List<Task> tasks = new ArrayList<>(expansion.tasks().size());
    int seq = afterSeq;
    int matched = 0;
    for (PlannedTask p : expansion.tasks()) {
      tasks.add(
          task(
              run,
              target,
              ++seq,
              stepId,
              p.name(),
              p.subjectKey(),
              p.subject(),
              p.parameters(),
              p.idempotencyKey(),
              p.status(),
              p.skipReason(),
              p.failure()));
      if (p.subjectKey() != null && p.skipReason() != SkipReason.CONDITION_FALSE) {
        matched++;
      }
    }
    int planned = from + tasks.size();
    if (planned >= expansion.total()) {
      // Forgotten once committed: a rolled-back attempt of this transaction plans the page again
      // from the same list.
      String key = run.id() + "\u0000" + stepId;
      tx.afterCommit(() -> items.remove(key));
    }
    return new Page(tasks, planned, expansion.total(), matched);
  }

  /**
   * Evaluates a fan-out step's forEach list, its subject keys and the subject limits, and keeps the
   * result for the step's pages. Called outside any transaction, so that a large list does not hold
   * the shared writer.
   *
   * @param variables the step's expression variables ({@link #variables}), read beforehand
   * @param otherTasks how many tasks the run's other steps have
   */
  void prepare(Run run, WorkflowStep step, Map<String, Object> variables, long otherTasks) {
    Object evaluated;
    try {
      evaluated = expander.items(step, variables, otherTasks);
    } catch (RuntimeException e) {
      evaluated =
          Failure.deterministic(
              "forEach of step " + step.id() + " failed: " + e.getMessage(),
              "fix the forEach expression or the data it reads");
    }
    items.put(run.id() + "\u0000" + step.id(), evaluated);
  }

  /**
   * Refuses, before a run exists, a trigger whose fan-out is known now (a forEach that reads no
   * step's outputs, such as {@code lists.range(inputs.n)}) and passes the subject limits. Evaluates
   * the lists only, on the caller's thread.
   *
   * @param trigger and {@code run}: the variables the run will see (its id is not known yet)
   * @throws InvalidInputException naming the parameters the forEach reads
   */
  public void refuseTooManySubjects(
      WorkflowDefinition workflow, JsonNode parameters, ObjectNode trigger, ObjectNode run) {
    Map<String, Object> variables = StepVariables.base(parameters, trigger, clock.instant(), run);
    variables.put("steps", Json.object());
    SubjectLimits limits = expander.limits();
    long tasks = 0;
    for (WorkflowStep step : workflow.steps()) {
      if (step.forEach() == null) {
        tasks++;
        continue;
      }
      if (StepVariables.STEP_REFERENCE.matcher(step.forEach()).find()) {
        continue; // known only once the steps it reads have run
      }
      long subjects = expander.count(step, variables);
      String message = null;
      if (subjects > limits.perStep()) {
        message = limits.tooManyInStep(step.id(), subjects);
      } else if (subjects > 0 && tasks + subjects > limits.perRun()) {
        message = limits.tooManyInRun(step.id(), subjects, tasks);
      }
      if (message != null) {
        throw new InvalidInputException(
            "too many subjects", List.of(new FieldError(parameterOf(step.forEach()), message)));
      }
      tasks += Math.max(subjects, 0);
    }
  }

  /** The parameter a forEach reads ({@code parameters.n} for {@code inputs.n}), or the whole. */
  private static String parameterOf(String forEach) {
    Matcher m = INPUT_REFERENCE.matcher(forEach);
    return m.find() ? "parameters." + (m.group(1) != null ? m.group(1) : m.group(2)) : "parameters";
  }

  /** Drops the forEach list kept for a step whose planning ended early (its run was cancelled). */
  void forget(String runId, String stepId) {
    items.remove(runId + "\u0000" + stepId);
  }

  /** A child workflow step takes its parameters as the child's inputs; no action schema applies. */
  private static ActionDefinition childAction(RunBlueprint.Target target) {
    return new ActionDefinition(
        null,
        "workflow:" + target.name(),
        null,
        null,
        "workflow",
        null,
        null,
        null,
        null,
        dev.runledger.model.RetryPolicy.NONE);
  }

  /** A task that records a step which will not run. */
  public Task skippedPlaceholder(
      Run run, RunBlueprint blueprint, String step, int seq, SkipReason reason, Instant now) {
    return task(
        run,
        blueprint.targets().get(step),
        seq,
        step,
        step,
        null,
        null,
        Json.object(),
        run.id() + "/" + step,
        TaskStatus.SKIPPED,
        reason,
        null);
  }

  private Task task(
      Run run,
      RunBlueprint.Target target,
      int seq,
      String step,
      String name,
      String subjectKey,
      JsonNode subject,
      JsonNode parameters,
      String key,
      TaskStatus status,
      SkipReason skip,
      Failure failure) {
    Instant now = clock.instant();
    return new Task(
        run.id(),
        name,
        seq,
        step,
        subjectKey,
        subject,
        target.taskAction(),
        target.revision(),
        target.hash(),
        parameters,
        status,
        skip,
        key,
        null,
        null,
        failure,
        null,
        0,
        null,
        status.isTerminal() ? now : null,
        now,
        now,
        null);
  }

  /** The variables a step's expressions see (see {@link StepVariables}). */
  public Map<String, Object> variables(Tx tx, Run run, WorkflowStep step) {
    return variables.of(tx, run, step);
  }
}
