package dev.runledger.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.definition.Definitions;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.store.Store;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Creates revisions of definitions, archives them, and resolves the revision a run uses. */
public final class DefinitionService {
  private final Store store;
  private final Definitions definitions;
  private final AuditLog audit;
  private final Clock clock;
  private final Map<String, ActionDefinition> actionCache = new ConcurrentHashMap<>();

  public DefinitionService(Store store, Definitions definitions, AuditLog audit, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.audit = audit;
    this.clock = clock;
  }

  /** What saving a definition did. */
  public record Saved(DefinitionRevision revision, boolean created) {}

  /**
   * Validates and saves a definition sent as text; a new revision only when its content changed.
   *
   * @param kind {@code action} or {@code workflow}, from the route
   * @param name the name in the route; the document's {@code name} must match it
   */
  public Saved put(
      String project, String kind, String name, String body, boolean yaml, Principal principal) {
    JsonNode document = definitions.parse(body, yaml);
    Definitions.Validated validated = definitions.validate(kind, document, project);
    if (!validated.name().equals(name)) {
      throw new InvalidInputException(
          "name",
          "the document names '" + validated.name() + "' but the route names '" + name + "'");
    }
    return store.writeAndWait(
        tx -> {
          Optional<DefinitionRevision> latest = tx.definitions().latest(project, kind, name);
          if (latest.isPresent()
              && latest.get().definitionHash().equals(validated.hash())
              && latest.get().archivedAt() == null) {
            return new Saved(latest.get(), false);
          }
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
          return new Saved(rev, true);
        });
  }

  /** Parses definition text with the safety limits (no validation). */
  public JsonNode parse(String body, boolean yaml) {
    return definitions.parse(body, yaml);
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

  /** Validates parameters against the action's inputs schema and applies its defaults. */
  public JsonNode applyInputs(DefinitionRevision revision, JsonNode parameters) {
    return definitions.applyInputs(revision.definition().get("inputs"), parameters);
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
