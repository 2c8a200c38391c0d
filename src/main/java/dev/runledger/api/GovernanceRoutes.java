package dev.runledger.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.governance.ApprovalService;
import dev.runledger.engine.run.TriggerResult;
import dev.runledger.model.Approval;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The decisions people take: approvals, run review, manual retry and rerun. */
final class GovernanceRoutes {
  private static final Pattern APPROVAL_CURSOR = Requests.idCursor("apr_");
  private static final Set<String> APPROVAL_STATES =
      Set.of("pending", "approved", "rejected", "expired", "cancelled");

  private final ApiContext api;
  private final TriggerRateLimiter limiter;

  /** {@code limiter}: retry and rerun start work, so they count as triggers of the principal. */
  GovernanceRoutes(ApiContext api, TriggerRateLimiter limiter) {
    this.api = api;
    this.limiter = limiter;
  }

  void register(RouteTable routes) {
    routes.get("/api/approvals", Role.VIEWER, this::approvals);
    routes.post("/api/approvals/{id}/approve", Role.APPROVER, ctx -> decide(ctx, true));
    routes.post("/api/approvals/{id}/reject", Role.APPROVER, ctx -> decide(ctx, false));
    routes.post("/api/runs/{id}/review", Role.APPROVER, this::review);
    routes.post("/api/runs/{id}/retry", Role.OPERATOR, this::retry);
    routes.post("/api/runs/{id}/rerun", Role.OPERATOR, this::rerun);
  }

  private void approvals(Context ctx) {
    Requests.onlyListParams(ctx, "state");
    String project = Requests.project(ctx);
    int limit = Requests.limit(ctx);
    String state = ctx.queryParam("state");
    if (state != null && !APPROVAL_STATES.contains(state)) {
      throw new InvalidInputException(
          "state", "state is one of " + String.join(", ", APPROVAL_STATES));
    }
    String cursor = Requests.cursor(ctx, APPROVAL_CURSOR);
    Object[] page =
        api.store()
            .read(
                tx -> {
                  List<Approval> list = tx.approvals().list(project, state, cursor, limit + 1);
                  List<JsonNode> items =
                      list.stream()
                          .limit(limit)
                          .map(a -> (JsonNode) view(a, api.approvals().context(tx, a)))
                          .toList();
                  String next = list.size() > limit ? list.get(limit - 1).id() : null;
                  return new Object[] {items, next};
                });
    @SuppressWarnings("unchecked")
    List<JsonNode> items = (List<JsonNode>) page[0];
    Responses.page(ctx, items, (String) page[1]);
  }

  private void decide(Context ctx, boolean approve) {
    String project = Requests.project(ctx);
    JsonNode body = Requests.jsonObject(ctx);
    String comment = comment(body);
    Approval decided;
    try {
      decided =
          api.approvals()
              .decide(project, ctx.pathParam("id"), Auth.principal(ctx), approve, comment);
    } catch (ApprovalService.NotAllowedException e) {
      throw ApiException.forbidden(e.getMessage());
    }
    Approval current = decided;
    ObjectNode context = api.store().read(tx -> api.approvals().context(tx, current));
    Responses.json(ctx, view(decided, context));
  }

  private void review(Context ctx) {
    String project = Requests.project(ctx);
    JsonNode body = Requests.jsonObject(ctx);
    String decision = Requests.text(body, "decision");
    if (!"approve".equals(decision) && !"reject".equals(decision)) {
      throw new InvalidInputException("decision", "decision is approve or reject");
    }
    Run run =
        api.reviews()
            .review(
                project,
                ctx.pathParam("id"),
                Auth.principal(ctx),
                decision.equals("approve"),
                comment(body));
    RunRoutes.respondRun(api, ctx, 200, run);
  }

  private void retry(Context ctx) {
    String project = Requests.project(ctx);
    JsonNode body = Requests.jsonObject(ctx);
    if (body.hasNonNull("tasks") && !body.get("tasks").isArray()) {
      throw new InvalidInputException("tasks", "tasks is a list of task names");
    }
    List<String> tasks = Requests.bind(body, "tasks", new TypeReference<List<String>>() {});
    JsonNode force = body.get("force");
    if (force != null && !force.isBoolean()) {
      throw new InvalidInputException("force", "force is true or false");
    }
    JsonNode newKey = body.get("newKey");
    if (newKey != null && !newKey.isBoolean()) {
      throw new InvalidInputException("newKey", "newKey is true or false");
    }
    limiter.acquire(Auth.principal(ctx));
    Run run =
        api.retries()
            .retry(
                project,
                ctx.pathParam("id"),
                Auth.principal(ctx),
                tasks,
                force != null && force.asBoolean(),
                newKey != null && newKey.asBoolean());
    RunRoutes.respondRun(api, ctx, 200, run);
  }

  private void rerun(Context ctx) {
    String project = Requests.project(ctx);
    JsonNode body = Requests.jsonObject(ctx);
    JsonNode pin = body.get("pin");
    if (pin != null && !pin.isBoolean()) {
      throw new InvalidInputException("pin", "pin is true or false");
    }
    limiter.acquire(Auth.principal(ctx));
    TriggerResult result =
        api.retries()
            .rerun(
                project, ctx.pathParam("id"), Auth.principal(ctx), pin == null || pin.asBoolean());
    RunRoutes.respondRun(api, ctx, 202, result.run());
  }

  private static String comment(JsonNode body) {
    String comment = Requests.text(body, "comment");
    if (comment != null && comment.length() > 4000) {
      throw new InvalidInputException("comment", "a comment has at most 4000 characters");
    }
    return comment;
  }

  private static ObjectNode view(Approval a, ObjectNode context) {
    ObjectNode n = Json.object();
    n.put("id", a.id());
    n.put("project", a.project());
    n.put("runId", a.runId());
    n.put("taskName", a.taskName());
    n.put("role", a.role());
    n.put("state", a.state());
    n.put("allowSelfApproval", a.allowSelfApproval());
    n.put("requestedAt", Times.format(a.requestedAt()));
    n.put("expiresAt", Times.format(a.expiresAt()));
    n.put("decidedBy", a.decidedBy());
    n.put("decidedAt", Times.format(a.decidedAt()));
    n.put("comment", a.comment());
    n.set("context", context);
    return n;
  }
}
