package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.catalog.DefinitionService;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import dev.runledger.model.StepTarget;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /api/actions} and {@code /api/workflows}: revisions, listing, archive. */
final class DefinitionRoutes {
  private final ApiContext api;

  DefinitionRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    for (String kind : List.of("action", "workflow")) {
      String base = "/api/" + kind + "s";
      routes.put(base + "/{name}", Role.ADMIN, BodyTypes.DEFINITION, ctx -> put(ctx, kind));
      routes.post(
          base + "/{name}/dry-run", Role.VIEWER, BodyTypes.DEFINITION, ctx -> dryRun(ctx, kind));
      routes.get(base, Role.VIEWER, ctx -> list(ctx, kind));
      routes.get(base + "/{name}", Role.VIEWER, ctx -> latest(ctx, kind));
      routes.get(base + "/{name}/revisions", Role.VIEWER, ctx -> revisions(ctx, kind));
      routes.get(base + "/{name}/revisions/{revision}", Role.VIEWER, ctx -> revision(ctx, kind));
      routes.delete(base + "/{name}", Role.ADMIN, ctx -> archive(ctx, kind));
    }
  }

  private void put(Context ctx, String kind) {
    String project = Requests.project(ctx);
    boolean yaml = isYaml(ctx);
    String body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
    String ifMatch = ctx.header("If-Match");
    String ifNoneMatch = ctx.header("If-None-Match");
    DefinitionService.Saved saved =
        api.definitions()
            .put(
                project,
                kind,
                ctx.pathParam("name"),
                body,
                yaml,
                Auth.principal(ctx),
                latest -> precondition(latest, ifMatch, ifNoneMatch));
    ObjectNode out = Json.object();
    out.put("name", saved.revision().name());
    out.put("kind", kind);
    out.put("project", project);
    out.put("revision", saved.revision().revision());
    out.put("definitionHash", saved.revision().definitionHash());
    out.put("created", saved.created());
    Responses.json(ctx, saved.created() ? 201 : 200, out);
  }

  /**
   * What a {@code PUT} of the body would do, saving nothing: {@code change} is {@code created},
   * {@code revised} or {@code unchanged}; an invalid definition is the same 400 the PUT gives.
   */
  private void dryRun(Context ctx, String kind) {
    Requests.onlyParams(ctx, "applying");
    String project = Requests.project(ctx);
    String name = ctx.pathParam("name");
    Set<StepTarget> applying =
        Set.copyOf(Requests.repeated(ctx, "applying", DefinitionRoutes::byName));
    DefinitionService.DryRun plan =
        api.definitions()
            .dryRun(
                project,
                kind,
                name,
                new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8),
                isYaml(ctx),
                applying);
    ObjectNode out = Json.object();
    out.put("name", name);
    out.put("kind", kind);
    out.put("project", project);
    out.put("change", plan.change().word());
    out.put("revision", plan.revision());
    out.put("definitionHash", plan.definitionHash());
    out.set("definition", plan.definition());
    out.set("latest", plan.latest() == null ? Json.MAPPER.nullNode() : latestSummary(plan));
    Responses.json(ctx, 200, out);
  }

  /** An {@code applying} value: an action's name or {@code workflow:NAME}, as {@code uses:}. */
  private static StepTarget byName(String value) {
    StepTarget target = StepTarget.parse(value);
    if (target.name() == null || target.revision() != null) {
      throw new IllegalArgumentException(
          "'" + value + "': name an action (NAME) or a workflow (workflow:NAME), not a revision");
    }
    return target;
  }

  private static ObjectNode latestSummary(DefinitionService.DryRun plan) {
    ObjectNode latest = Json.object();
    latest.put("revision", plan.latest().revision());
    latest.put("definitionHash", plan.latest().definitionHash());
    latest.put("archived", plan.latest().archivedAt() != null);
    return latest;
  }

  private static boolean isYaml(Context ctx) {
    String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
    return contentType.contains("yaml") || contentType.startsWith("text/plain");
  }

  /**
   * {@code If-Match} (the latest revision is still the one the client read: no lost update) and
   * {@code If-None-Match: *} (create only), checked in the transaction that saves; 412 otherwise.
   */
  private static void precondition(
      Optional<DefinitionRevision> latest, String ifMatch, String ifNoneMatch) {
    String current = latest.map(d -> Responses.etag(Views.definition(d))).orElse(null);
    if (ifMatch != null && !ETags.matchesStrongly(ifMatch, current)) {
      throw new ApiException(
          ProblemType.PRECONDITION_FAILED,
          current == null
              ? "If-Match names a revision, but there is no such definition"
              : "the definition changed since it was read (its ETag is now "
                  + current
                  + "); read it again and reapply the change");
    }
    if (ifNoneMatch != null && ETags.matches(ifNoneMatch, current)) {
      throw new ApiException(
          ProblemType.PRECONDITION_FAILED,
          "If-None-Match: the definition exists already (its ETag is " + current + ")");
    }
  }

  private void list(Context ctx, String kind) {
    Requests.onlyListParams(ctx);
    String project = Requests.project(ctx);
    int limit = Requests.limit(ctx);
    String cursor = Requests.cursor(ctx, Requests.NAME_CURSOR);
    List<DefinitionRevision> items =
        api.store().read(tx -> tx.definitions().listLatest(project, kind, cursor, limit + 1));
    String next = items.size() > limit ? items.get(limit - 1).name() : null;
    List<JsonNode> views =
        items.stream().limit(limit).map(d -> (JsonNode) Views.definition(d)).toList();
    Responses.page(ctx, views, next);
  }

  private void latest(Context ctx, String kind) {
    String project = Requests.project(ctx);
    String name = ctx.pathParam("name");
    DefinitionRevision d =
        api.store()
            .read(tx -> tx.definitions().latest(project, kind, name))
            .orElseThrow(() -> new NotFoundException("no " + kind + " named " + name));
    Responses.tagged(ctx, Views.definition(d));
  }

  private void revisions(Context ctx, String kind) {
    Requests.onlyListParams(ctx);
    String project = Requests.project(ctx);
    String name = ctx.pathParam("name");
    int limit = Requests.limit(ctx);
    int before = cursorRevision(ctx.queryParam("cursor"));
    List<DefinitionRevision> items =
        api.store().read(tx -> tx.definitions().revisions(project, kind, name, before, limit + 1));
    if (items.isEmpty() && before == Integer.MAX_VALUE) {
      throw new NotFoundException("no " + kind + " named " + name);
    }
    String next = items.size() > limit ? String.valueOf(items.get(limit - 1).revision()) : null;
    List<JsonNode> views =
        items.stream().limit(limit).map(d -> (JsonNode) Views.definition(d)).toList();
    Responses.page(ctx, views, next);
  }

  private void revision(Context ctx, String kind) {
    String project = Requests.project(ctx);
    String name = ctx.pathParam("name");
    int revision;
    try {
      revision = Integer.parseInt(ctx.pathParam("revision"));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("revision", "a revision is a whole number");
    }
    DefinitionRevision d =
        api.store()
            .read(tx -> tx.definitions().revision(project, kind, name, revision))
            .orElseThrow(() -> new NotFoundException("no " + kind + " " + name + "@" + revision));
    Responses.tagged(ctx, Views.definition(d));
  }

  private void archive(Context ctx, String kind) {
    api.definitions()
        .archive(Requests.project(ctx), kind, ctx.pathParam("name"), Auth.principal(ctx));
    ctx.status(204);
  }

  private static int cursorRevision(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return Integer.MAX_VALUE;
    }
    try {
      return Integer.parseInt(cursor);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("cursor", "not a cursor this listing returned");
    }
  }
}
