package dev.runledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.ConcurrentChangeException;
import dev.runledger.engine.IdempotencyKeyReusedException;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.StateConflictException;
import dev.runledger.model.FieldError;
import dev.runledger.model.IllegalTransitionException;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.JsonErrors;
import dev.runledger.store.ConflictException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every exception to an RFC 9457 problem detail, in one place. Never a stack trace. */
final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static void register(RoutesConfig routes, RouteTable table) {
    routes.exception(
        InvalidInputException.class,
        (e, ctx) -> write(ctx, 400, "Bad Request", e.getMessage(), e.errors()));
    routes.exception(
        ApiException.class,
        (e, ctx) -> write(ctx, e.type(), e.status(), e.title(), e.getMessage(), null));
    routes.exception(
        NotFoundException.class, (e, ctx) -> write(ctx, 404, "Not Found", e.getMessage(), null));
    routes.exception(
        IdempotencyKeyReusedException.class,
        (e, ctx) ->
            write(
                ctx,
                ProblemType.IDEMPOTENCY_KEY_REUSED,
                422,
                ProblemType.IDEMPOTENCY_KEY_REUSED.title(),
                e.getMessage(),
                null));
    routes.exception(
        StateConflictException.class,
        (e, ctx) -> write(ctx, 409, "Conflict", e.getMessage(), null));
    routes.exception(
        ConflictException.class, (e, ctx) -> write(ctx, 409, "Conflict", e.getMessage(), null));
    routes.exception(
        IllegalTransitionException.class,
        (e, ctx) -> write(ctx, 409, "Conflict", e.getMessage(), null));
    routes.exception(
        ConcurrentChangeException.class,
        (e, ctx) -> write(ctx, 409, "Conflict", e.getMessage() + "; try again", null));
    routes.exception(
        JsonProcessingException.class,
        (e, ctx) -> {
          if (e instanceof JsonMappingException bound && !bound.getPath().isEmpty()) {
            // a value of the body bound to the wrong type: named by its path in the body
            String at = JsonErrors.path("", bound);
            String message = JsonErrors.mismatch(at, bound);
            write(ctx, 400, "Bad Request", message, List.of(new FieldError(at, message)));
            return;
          }
          String message = JsonErrors.describe("the body is not valid JSON", e);
          write(ctx, 400, "Bad Request", message, List.of(new FieldError("body", message)));
        });
    routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          if (e.getStatus() == 405) {
            methodNotAllowed(ctx, table);
            return;
          }
          write(ctx, e.getStatus(), title(e.getStatus()), e.getMessage(), null);
        });
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
          write(
              ctx,
              500,
              "Internal Server Error",
              "an unexpected error occurred; see the server log",
              null);
        });
    routes.error(
        404,
        "*",
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            write(ctx, 404, "Not Found", "no route " + ctx.method() + " " + ctx.path(), null);
          }
        });
    routes.error(405, "*", ctx -> methodNotAllowed(ctx, table));
  }

  /** 405 with {@code Allow} naming the methods the path takes (RFC 9110 §15.5.6). */
  private static void methodNotAllowed(Context ctx, RouteTable table) {
    List<String> allowed = table.methodsOf(ctx.path());
    ctx.header("Allow", String.join(", ", allowed));
    write(
        ctx,
        405,
        "Method Not Allowed",
        ctx.method()
            + " is not a method of "
            + ctx.path()
            + "; it takes "
            + String.join(", ", allowed),
        null);
  }

  static void write(Context ctx, int status, String title, String detail, List<FieldError> errors) {
    ProblemType type =
        status == 400 && errors != null && !errors.isEmpty()
            ? ProblemType.VALIDATION
            : ProblemType.forStatus(status);
    write(ctx, type, status, title, detail, errors);
  }

  /**
   * Writes a problem detail of {@code type}; {@code instance} is the request's path, and a 401
   * names the scheme to authenticate with (RFC 9110 §11.6.1).
   */
  static void write(
      Context ctx,
      ProblemType type,
      int status,
      String title,
      String detail,
      List<FieldError> errors) {
    if (type == null) {
      write(ctx, status, title, detail, errors);
      return;
    }
    ObjectNode body = Json.object();
    body.put("type", type.uri());
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.put("instance", ctx.path());
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"runledger\"");
    }
    if (errors != null && !errors.isEmpty()) {
      ArrayNode list = body.putArray("errors");
      for (FieldError e : errors) {
        list.addObject().put("field", e.field()).put("message", e.message());
      }
    }
    ctx.status(status).contentType("application/problem+json").result(Json.write(body));
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 415 -> "Unsupported Media Type";
      case 413 -> "Content Too Large";
      case 429 -> "Too Many Requests";
      default -> "Error";
    };
  }
}
