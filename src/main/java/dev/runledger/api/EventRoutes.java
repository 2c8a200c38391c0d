package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runledger.engine.trigger.CloudEvent;
import dev.runledger.engine.trigger.EventService;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.JsonErrors;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Events and webhooks: {@code POST /api/events} (CloudEvents 1.0, structured or binary mode),
 * {@code POST /api/workflows/{name}/hook} (make or rotate a webhook secret) and the public {@code
 * POST /hooks/{workflow}/{secret}}.
 */
final class EventRoutes {
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** The media types of a structured-mode event (binary mode takes any: it is the data's). */
  private static final List<String> STRUCTURED =
      List.of("application/cloudevents+json", "application/json");

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
    boolean binaryMode = ctx.header("ce-specversion") != null;
    String type = BodyTypes.mediaType(ctx.contentType());
    if (!binaryMode && type != null && !STRUCTURED.contains(type)) {
      throw BodyTypes.unsupported(ctx, type, STRUCTURED);
    }
    CloudEvent event = binaryMode ? binary(ctx) : structured(ctx);
    limiter.acquire(principal);
    EventService.Published published = api.events().publish(project, event, principal.name());
    ObjectNode out = Json.object().put("eventId", published.eventId());
    ArrayNode runs = out.putArray("runs");
    published.runs().forEach(runs::add);
    out.put("duplicate", published.duplicate());
    Responses.json(ctx, 202, out);
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

  /** Structured mode: the body is the event, {@code data} (or {@code data_base64}) inside it. */
  private static CloudEvent structured(Context ctx) {
    JsonNode body = Requests.jsonObject(ctx);
    List<FieldError> errors = new ArrayList<>();
    String spec = attribute(body, "specversion", errors);
    if (spec != null && !spec.equals("1.0")) {
      errors.add(new FieldError("specversion", "only CloudEvents 1.0 is accepted"));
    } else if (spec == null && !body.has("specversion")) {
      errors.add(new FieldError("specversion", "specversion 1.0 is required"));
    }
    String id = required(body, "id", errors);
    String source = required(body, "source", errors);
    String type = required(body, "type", errors);
    String subject = attribute(body, "subject", errors);
    String time = time(attribute(body, "time", errors), errors);
    JsonNode data = body.has("data") ? body.get("data") : null;
    if (body.hasNonNull("data_base64")) {
      if (data != null) {
        errors.add(new FieldError("data_base64", "send data or data_base64, not both"));
      }
      data = body.get("data_base64");
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException("invalid CloudEvent", errors);
    }
    return new CloudEvent(id, source, type, subject, time, data);
  }

  /** Binary mode: attributes in {@code ce-*} headers, the body is the data. */
  private static CloudEvent binary(Context ctx) {
    List<FieldError> errors = new ArrayList<>();
    if (!"1.0".equals(ctx.header("ce-specversion"))) {
      errors.add(new FieldError("ce-specversion", "only CloudEvents 1.0 is accepted"));
    }
    String id = header(ctx, "ce-id", errors, true);
    String source = header(ctx, "ce-source", errors, true);
    String type = header(ctx, "ce-type", errors, true);
    String subject = header(ctx, "ce-subject", errors, false);
    String time = time(header(ctx, "ce-time", errors, false), errors);
    JsonNode data = null;
    try {
      data = body(ctx);
    } catch (InvalidInputException e) {
      errors.add(new FieldError("body", e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException("invalid CloudEvent", errors);
    }
    return new CloudEvent(id, source, type, subject, time, data);
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

  private static String header(Context ctx, String name, List<FieldError> errors, boolean needed) {
    String v = ctx.header(name);
    if (v == null || v.isBlank()) {
      if (needed) {
        errors.add(new FieldError(name, name + " is required"));
      }
      return null;
    }
    return v;
  }

  private static String required(JsonNode body, String field, List<FieldError> errors) {
    String v = attribute(body, field, errors);
    if (v == null || v.isBlank()) {
      if (!errors.stream().anyMatch(e -> e.field().equals(field))) {
        errors.add(new FieldError(field, field + " is required (a non-empty string)"));
      }
      return null;
    }
    return v;
  }

  private static String attribute(JsonNode body, String field, List<FieldError> errors) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      errors.add(new FieldError(field, field + " must be a string"));
      return null;
    }
    return v.asText();
  }

  private static String time(String time, List<FieldError> errors) {
    if (time == null) {
      return null;
    }
    try {
      OffsetDateTime.parse(time);
      return time;
    } catch (DateTimeParseException e) {
      errors.add(new FieldError("time", "time is an RFC 3339 timestamp"));
      return null;
    }
  }
}
