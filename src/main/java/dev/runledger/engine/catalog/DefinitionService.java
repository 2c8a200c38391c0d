package dev.runledger.engine.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.definition.Definitions;
import dev.runledger.engine.NotFoundException;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Run;
import dev.runledger.model.StepTarget;
import dev.runledger.model.Task;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.model.WorkflowStep;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Creates revisions of definitions, archives them, and resolves the revision a run uses. */
public final class DefinitionService {
  private final Store store;
  private final Definitions definitions;
  private final AuditLog audit;
  private final Clock clock;
  private final Map<String, ActionDefinition> actionCache = new ConcurrentHashMap<>();
  private final Map<String, WorkflowDefinition> workflowCache = new ConcurrentHashMap<>();
  private final Map<String, DefinitionRevision> revisionCache = new ConcurrentHashMap<>();

  public DefinitionService(Store store, Definitions definitions, AuditLog audit, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * What saving a definition did.
   *
   * @param created a new revision was made
   * @param archived the definition is archived and was left so ({@link #load}): nothing saved
   */
  public record Saved(DefinitionRevision revision, boolean created, boolean archived) {}

  /**
   * Validates and saves a definition sent as text; a new revision only when its content changed.
   * Saving an archived definition makes a new revision, which is live again.
   *
   * @param kind {@code action} or {@code workflow}, from the route
   * @param name the name in the route; the document's {@code name} must match it
   */
  public Saved put(
      String project, String kind, String name, String body, boolean yaml, Principal principal) {
    return save(project, kind, name, body, yaml, principal, false, latest -> {});
  }

  /**
   * As {@link #put}, after {@code precondition} accepted the latest revision (or its absence) in
   * the transaction that saves: it throws to refuse (an HTTP {@code If-Match} that no longer
   * holds), and nothing is saved.
   */
  public Saved put(
      String project,
      String kind,
      String name,
      String body,
      boolean yaml,
      Principal principal,
      Consumer<Optional<DefinitionRevision>> precondition) {
    return save(project, kind, name, body, yaml, principal, false, precondition);
  }

  /**
   * As {@link #put}, for files loaded at start ({@code serve --load}): loading never brings an
   * archived definition back; it stays archived, and nothing is saved.
   */
  public Saved load(
      String project, String kind, String name, String body, boolean yaml, Principal principal) {
    return save(project, kind, name, body, yaml, principal, true, latest -> {});
  }

  private Saved save(
      String project,
      String kind,
      String name,
      String body,
      boolean yaml,
      Principal principal,
      boolean keepArchived,
      Consumer<Optional<DefinitionRevision>> precondition) {
    JsonNode document = definitions.parse(body, yaml);
    Definitions.Validated validated = validate(project, kind, name, document, Set.of());
    return store.writeAndWait(
        tx -> {
          Optional<DefinitionRevision> latest = tx.definitions().latest(project, kind, name);
          precondition.accept(latest);
          if (latest.isPresent() && latest.get().archivedAt() != null && keepArchived) {
            return new Saved(latest.get(), false, true);
          }
          if (unchanged(latest, validated)) {
            // The revision exists as it is: what it uses was checked when it was made.
            return new Saved(latest.get(), false, false);
          }
          checkReferences(tx, project, name, validated, Set.of());
          int revision = latest.map(r -> r.revision() + 1).orElse(1);
          DefinitionRevision rev =
              new DefinitionRevision(
                  project,
                  kind,
                  name,
                  revision,
                  validated.hash(),
                  validated.normalized(),
                  clock.instant(),
                  principal.name(),
                  null);
          tx.definitions().insertRevision(rev);
          audit
              .event("definition.revised", principal.name())
              .project(project)
              .target(kind + "/" + name)
              .details(
                  Json.object()
                      .put("kind", kind)
                      .put("name", name)
                      .put("revision", revision)
                      .put("definitionHash", validated.hash()))
              .append(tx);
          return new Saved(rev, true, false);
        });
  }

  /** What a save would do to the latest revision: make the first, make a new one, or nothing. */
  public enum Change {
    CREATED,
    REVISED,
    UNCHANGED;

    /** As the API spells it: {@code created}, {@code revised}, {@code unchanged}. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What saving a definition would do, found as {@link #put} finds it (the same validation and
   * reference checks) but with nothing saved and nothing audited.
   *
   * @param revision the revision a save would make, or the unchanged latest one
   * @param definition the document as it would be stored (project filled in)
   * @param latest the latest revision now, archived or not; null when there is none
   */
  public record DryRun(
      Change change,
      int revision,
      String definitionHash,
      JsonNode definition,
      DefinitionRevision latest) {}

  /**
   * As {@link #put}, saving nothing: says whether a revision would be created, and which.
   *
   * @param applying actions and workflows (by name) that the same apply saves too: a step using one
   *     of them by name is not refused because it does not exist, or is archived, now
   */
  public DryRun dryRun(
      String project,
      String kind,
      String name,
      String body,
      boolean yaml,
      Set<StepTarget> applying) {
    JsonNode document = definitions.parse(body, yaml);
    Definitions.Validated validated = validate(project, kind, name, document, applying);
    return store.read(
        tx -> {
          Optional<DefinitionRevision> latest = tx.definitions().latest(project, kind, name);
          if (unchanged(latest, validated)) {
            return new DryRun(
                Change.UNCHANGED,
                latest.get().revision(),
                validated.hash(),
                validated.normalized(),
                latest.get());
          }
          checkReferences(tx, project, name, validated, applying);
          return new DryRun(
              latest.isPresent() ? Change.REVISED : Change.CREATED,
              latest.map(r -> r.revision() + 1).orElse(1),
              validated.hash(),
              validated.normalized(),
              latest.orElse(null));
        });
  }

  /** The latest revision is live and has this content: saving it again makes no revision. */
  private static boolean unchanged(
      Optional<DefinitionRevision> latest, Definitions.Validated validated) {
    return latest.isPresent()
        && latest.get().definitionHash().equals(validated.hash())
        && latest.get().archivedAt() == null;
  }

  private static void checkReferences(
      Tx tx,
      String project,
      String name,
      Definitions.Validated validated,
      Set<StepTarget> applying) {
    List<FieldError> missing = referenceProblems(tx, project, name, validated.uses(), applying);
    if (!missing.isEmpty()) {
      throw new InvalidInputException("the workflow uses what does not exist", missing);
    }
  }

  /**
   * The validated definition; or every problem at once: those of the document, the route's name
   * and, for a workflow, each step that uses what does not exist.
   */
  private Definitions.Validated validate(
      String project, String kind, String name, JsonNode document, Set<StepTarget> applying) {
    Definitions.Validated validated;
    try {
      validated = definitions.validate(kind, document, project);
    } catch (InvalidInputException e) {
      List<FieldError> problems = new ArrayList<>(e.errors());
      if (kind.equals("workflow")) {
        problems.addAll(
            store.read(
                tx -> referenceProblems(tx, project, name, Definitions.uses(document), applying)));
      }
      throw new InvalidInputException(e.getMessage(), problems);
    }
    if (!validated.name().equals(name)) {
      throw new InvalidInputException(
          "name",
          "the document names '" + validated.name() + "' but the route names '" + name + "'");
    }
    return validated;
  }

  /** The latest revision of a workflow that is not archived, in the caller's transaction. */
  public static DefinitionRevision liveWorkflow(Tx tx, String project, String name) {
    return tx.definitions()
        .latest(project, "workflow", name)
        .filter(d -> d.archivedAt() == null)
        .orElseThrow(() -> new NotFoundException("no workflow named " + name));
  }

  /** Parses definition text with the safety limits (no validation). */
  public JsonNode parse(String body, boolean yaml) {
    return definitions.parse(body, yaml);
  }

  /** Each step whose action or workflow does not exist now, as a problem naming the step. */
  private static List<FieldError> referenceProblems(
      Tx tx,
      String project,
      String workflow,
      Map<String, StepTarget> uses,
      Set<StepTarget> applying) {
    List<FieldError> errors = new ArrayList<>();
    uses.forEach(
        (field, target) -> {
          String problem = null;
          if (target.isWorkflow() && target.name().equals(workflow)) {
            problem = "a workflow cannot use itself";
          } else if (applying.contains(target)) {
            problem = null; // saved by the same apply, by name
          } else if (target.isWorkflow()) {
            problem =
                tx.definitions()
                        .latest(project, "workflow", target.name())
                        .filter(d -> d.archivedAt() == null)
                        .isPresent()
                    ? null
                    : "no workflow named " + target.name() + " in project " + project;
          } else if (target.hash() != null) {
            problem =
                tx.definitions().byHash(project, "action", target.hash()).isPresent()
                    ? null
                    : "no action revision has the hash " + target.hash();
          } else if (target.revision() != null) {
            problem =
                tx.definitions()
                        .revision(project, "action", target.name(), target.revision())
                        .isPresent()
                    ? null
                    : "action " + target.name() + " has no revision " + target.revision();
          } else {
            problem =
                tx.definitions()
                        .latest(project, "action", target.name())
                        .filter(d -> d.archivedAt() == null)
                        .isPresent()
                    ? null
                    : "no action named " + target.name() + " in project " + project;
          }
          if (problem != null) {
            errors.add(new FieldError(field, problem));
          }
        });
    return errors;
  }

  /** Archives a definition: no new runs; its history stays. */
  public void archive(String project, String kind, String name, Principal principal) {
    store.writeAndWait(
        tx -> {
          if (!tx.definitions().archive(project, kind, name, clock.instant(), principal.name())) {
            throw new NotFoundException("no " + kind + " named " + name);
          }
          audit
              .event("definition.archived", principal.name())
              .project(project)
              .target(kind + "/" + name)
              .details(Json.object().put("kind", kind).put("name", name))
              .append(tx);
          return null;
        });
  }

  /**
   * The latest revision of a definition unless it is archived: its number read each time (another
   * node may have saved a newer one), its content cached (a revision never changes). The {@code
   * archivedAt} of what this returns is not to be relied on.
   */
  public Optional<DefinitionRevision> latestActive(String project, String kind, String name) {
    Optional<Integer> latest =
        store.read(tx -> tx.definitions().latestActiveRevision(project, kind, name));
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    String key = project + "\u0000" + kind + "\u0000" + name + "\u0000" + latest.get();
    DefinitionRevision cached = revisionCache.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<DefinitionRevision> read =
        store.read(tx -> tx.definitions().revision(project, kind, name, latest.get()));
    read.ifPresent(r -> revisionCache.put(key, r));
    return read;
  }

  /** The validated workflow of a stored revision, by name and revision (cached). */
  public WorkflowDefinition workflow(String project, String name, int revision) {
    String key = project + "\u0000" + name + "\u0000" + revision;
    WorkflowDefinition cached = workflowCache.get(key);
    if (cached != null) {
      return cached;
    }
    DefinitionRevision stored =
        store
            .read(tx -> tx.definitions().revision(project, "workflow", name, revision))
            .orElseThrow(() -> new NotFoundException("no workflow " + name + "@" + revision));
    return workflow(stored);
  }

  /** The validated workflow of a stored revision (cached: revisions never change). */
  public WorkflowDefinition workflow(DefinitionRevision revision) {
    String key = revision.project() + "\u0000" + revision.name() + "\u0000" + revision.revision();
    return workflowCache.computeIfAbsent(
        key, k -> definitions.workflow(revision.definition(), revision.project()));
  }

  /** Validates parameters against the definition's inputs schema and applies its defaults. */
  public JsonNode applyInputs(DefinitionRevision revision, JsonNode parameters) {
    return definitions.applyInputs(revision.definition().get("inputs"), parameters);
  }

  /** The definition layer itself (templates, expressions). */
  public Definitions layer() {
    return definitions;
  }

  /**
   * The action a task runs, with its step's {@code retry} and {@code timeout} in place of the
   * action's own when the step sets them.
   */
  public ActionDefinition actionForTask(Run run, Task task) {
    ActionDefinition action = action(run.project(), task.action(), task.actionRevision());
    if (run.workflow() == null) {
      return action;
    }
    WorkflowStep step =
        workflow(run.project(), run.workflow(), run.revision()).steps().stream()
            .filter(s -> s.id().equals(task.step()))
            .findFirst()
            .orElse(null);
    if (step == null || (step.retry() == null && step.timeout() == null)) {
      return action;
    }
    return new ActionDefinition(
        action.project(),
        action.name(),
        action.description(),
        action.inputs(),
        action.kind(),
        action.spec(),
        action.outputsSchema(),
        action.result(),
        step.timeout() != null ? step.timeout() : action.timeout(),
        step.retry() != null ? step.retry() : action.retry());
  }

  /** The validated action of a stored revision (revisions never change, so this is cached). */
  public ActionDefinition action(String project, String name, int revision) {
    String key = project + "\u0000" + name + "\u0000" + revision;
    return actionCache.computeIfAbsent(
        key,
        k ->
            store.read(
                tx ->
                    tx.definitions()
                        .revision(project, "action", name, revision)
                        .map(r -> definitions.action(r.definition(), project))
                        .orElseThrow(
                            () -> new NotFoundException("no action " + name + "@" + revision))));
  }
}
