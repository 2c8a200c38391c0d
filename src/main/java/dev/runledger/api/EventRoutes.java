package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runledger.engine.trigger.CloudEvent;
import dev.runledger.engine.trigger.EventService;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.JsonErrors;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Events and webhooks: {@code POST /api/events} (CloudEvents 1.0: structured, binary or batched
 * mode, read by {@link CloudEventRequests}), {@code POST /api/workflows/{name}/hook} (make or
 * rotate a webhook secret) and the public {@code POST /hooks/{workflow}/{secret}}.
 */
final class EventRoutes {
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ApiContext api;
  private final TriggerRateLimiter limiter;

  EventRoutes(ApiContext api, TriggerRateLimiter limiter) {
    this.api = api;
    this.limiter = limiter;
  }

  void register(RouteTable routes) {
    routes.post("/api/events", Role.OPERATOR, BodyTypes.ANY, this::postEvent);
    routes.post("/api/workflows/{name}/hook", Role.ADMIN, this::rotateHook);
    routes.publicPost("/hooks/{workflow}/{secret}", BodyTypes.ANY, this::hook);
  }

  private void postEvent(Context ctx) {
    String project = Requests.project(ctx);
    Principal principal = Auth.principal(ctx);
    CloudEventRequests.Incoming incoming = CloudEventRequests.read(ctx);
    for (int i = 0; i < incoming.events().size(); i++) {
      limiter.acquire(principal);
    }
    List<ObjectNode> answers = new ArrayList<>();
    for (CloudEvent event : incoming.events()) {
      answers.add(published(api.events().publish(project, event, principal.name())));
    }
    if (incoming.batch()) {
      ObjectNode out = Json.object();
      answers.forEach(out.putArray("items")::add);
      Responses.json(ctx, 202, out);
    } else {
      Responses.json(ctx, 202, answers.get(0));
    }
  }

  private static ObjectNode published(EventService.Published published) {
    ObjectNode out = Json.object().put("eventId", published.eventId());
    ArrayNode runs = out.putArray("runs");
    published.runs().forEach(runs::add);
    out.put("duplicate", published.duplicate());
    return out;
  }

  private void rotateHook(Context ctx) {
    String project = Requests.project(ctx);
    String workflow = ctx.pathParam("name");
    String secret = api.hooks().rotate(project, workflow, Auth.principal(ctx));
    String path =
        "/hooks/"
            + workflow
            + "/"
            + secret
            + ("default".equals(project) ? "" : "?project=" + project);
    Responses.json(
        ctx,
        201,
        Json.object()
            .put("workflow", workflow)
            .put("project", project)
            .put("secret", secret)
            .put("path", path)
            .put("url", ctx.scheme() + "://" + ctx.host() + path));
  }

  /** A webhook call: a wrong secret and an unknown workflow look the same (404). */
  private void hook(Context ctx) {
    String project = ctx.queryParam("project");
    if (project == null || project.isEmpty()) {
      project = "default";
    }
    String workflow = ctx.pathParam("workflow");
    if (!PROJECT.matcher(project).matches()
        || !api.hooks().verify(project, workflow, ctx.pathParam("secret"))) {
      throw ApiException.notFound("no such webhook");
    }
    limiter.acquireHook(project, workflow);
    EventService.Published published =
        api.events().hook(project, workflow, body(ctx), "webhook:" + workflow);
    ObjectNode out = Json.object().put("eventId", published.eventId());
    ArrayNode runs = out.putArray("runs");
    published.runs().forEach(runs::add);
    Responses.json(ctx, 202, out);
  }

  /** A body as event data: JSON when it is JSON, text otherwise, null when empty. */
  private static JsonNode body(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      return null;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
    boolean json = type.isEmpty() || type.contains("json");
    if (json) {
      try {
        return Requests.BODY.readTree(text);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        if (!type.isEmpty()) {
          throw new InvalidInputException(
              "body", JsonErrors.describe("the body is not valid JSON", e));
        }
      }
    }
    return TextNode.valueOf(text);
  }
}
