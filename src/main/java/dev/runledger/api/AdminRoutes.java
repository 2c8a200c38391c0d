package dev.runledger.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.access.TokenService;
import dev.runledger.model.ApiToken;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Job;
import dev.runledger.model.JobState;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Tokens, secrets and the job queue. */
final class AdminRoutes {
  private static final Pattern JOB_CURSOR = Requests.idCursor("job_");
  private static final Pattern TOKEN_CURSOR = Requests.idCursor("tok_");
  private static final Pattern SECRET_CURSOR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private final ApiContext api;

  AdminRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    routes.post("/api/tokens", Role.ADMIN, this::createToken);
    routes.get("/api/tokens", Role.ADMIN, this::listTokens);
    routes.delete("/api/tokens/{id}", Role.ADMIN, this::revokeToken);
    routes.put("/api/secrets/{name}", Role.ADMIN, this::putSecret);
    routes.get("/api/secrets", Role.ADMIN, this::listSecrets);
    routes.delete("/api/secrets/{name}", Role.ADMIN, this::deleteSecret);
    routes.get("/api/jobs", Role.VIEWER, this::jobs);
  }

  private void createToken(Context ctx) {
    JsonNode body = Requests.jsonObject(ctx);
    String name = Requests.text(body, "name");
    String roleText = Requests.text(body, "role");
    if (roleText == null) {
      throw new InvalidInputException("role", "role is one of viewer, operator, approver, admin");
    }
    Role role;
    try {
      role = Role.fromWire(roleText);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("role", e.getMessage());
    }
    JsonNode p = body.get("projects");
    if (p != null && !p.isNull() && !p.isArray()) {
      throw new InvalidInputException("projects", "projects is a list of project names");
    }
    List<String> projects = Requests.bind(body, "projects", new TypeReference<List<String>>() {});
    Principal principal = Auth.principal(ctx);
    if (principal.projects() != null) {
      // a project-limited admin gives out only what it has: never another project, never all
      if (projects == null) {
        projects = principal.projects();
      }
      for (String project : projects) {
        if (!principal.canSee(project)) {
          throw ApiException.notFound("no project " + project);
        }
      }
    }
    String expiresText = Requests.text(body, "expiresIn");
    java.time.Duration expiresIn = null;
    if (expiresText != null) {
      try {
        expiresIn = dev.runledger.model.Durations.parse(expiresText);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("expiresIn", e.getMessage());
      }
    }
    TokenService.Issued issued =
        api.tokens().create(name, role, projects, null, principal.name(), expiresIn);
    ObjectNode out = Views.token(issued.token());
    out.put("token", issued.value());
    Responses.json(ctx, 201, out);
  }

  private void listTokens(Context ctx) {
    Requests.onlyListParams(ctx);
    Principal principal = Auth.principal(ctx);
    List<JsonNode> items =
        api.tokens().list().stream()
            .filter(t -> isOwn(principal, t))
            .map(t -> (JsonNode) Views.token(t))
            .toList();
    WholeListPages.byKey(ctx, items, "id", Comparator.reverseOrder(), TOKEN_CURSOR);
  }

  private void revokeToken(Context ctx) {
    Principal principal = Auth.principal(ctx);
    String id = ctx.pathParam("id");
    boolean own =
        api.tokens().list().stream().anyMatch(t -> t.id().equals(id) && isOwn(principal, t));
    if (!own) {
      throw new NotFoundException("no live token " + id);
    }
    api.tokens().revoke(id, principal.name());
    ctx.status(204);
  }

  /** A token is a principal's own when it reaches no project the principal cannot see. */
  private static boolean isOwn(Principal principal, ApiToken token) {
    return principal.projects() == null
        || (token.projects() != null && principal.projects().containsAll(token.projects()));
  }

  private void putSecret(Context ctx) {
    String project = Requests.project(ctx);
    JsonNode body = Requests.jsonObject(ctx);
    String value = Requests.text(body, "value");
    boolean created = api.secrets().put(project, ctx.pathParam("name"), value, Auth.principal(ctx));
    Responses.json(
        ctx,
        created ? 201 : 200,
        Json.object().put("name", ctx.pathParam("name")).put("project", project));
  }

  private void listSecrets(Context ctx) {
    Requests.onlyListParams(ctx);
    String project = Requests.project(ctx);
    List<JsonNode> items =
        api.secrets().list(project).stream()
            .map(
                (Map<String, Object> row) -> {
                  ObjectNode n = Json.object();
                  n.put("name", (String) row.get("name"));
                  n.put("updatedAt", Times.format((java.time.Instant) row.get("updatedAt")));
                  n.put("updatedBy", (String) row.get("updatedBy"));
                  return (JsonNode) n;
                })
            .toList();
    WholeListPages.byKey(ctx, items, "name", Comparator.naturalOrder(), SECRET_CURSOR);
  }

  private void deleteSecret(Context ctx) {
    api.secrets().delete(Requests.project(ctx), ctx.pathParam("name"), Auth.principal(ctx));
    ctx.status(204);
  }

  private void jobs(Context ctx) {
    Requests.onlyListParams(ctx, "state");
    String project = Requests.project(ctx);
    int limit = Requests.limit(ctx);
    String stateText = ctx.queryParam("state");
    JobState state;
    try {
      state = stateText == null ? null : JobState.fromWire(stateText);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("state", e.getMessage());
    }
    String cursor = Requests.cursor(ctx, JOB_CURSOR);
    List<Job> jobs = api.store().read(tx -> tx.jobs().list(project, state, cursor, limit + 1));
    String next = jobs.size() > limit ? jobs.get(limit - 1).id() : null;
    List<JsonNode> items = jobs.stream().limit(limit).map(j -> (JsonNode) Views.job(j)).toList();
    Responses.page(ctx, items, next);
  }
}
