package dev.runledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.JsonErrors;
import dev.runledger.model.Principal;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Reads the common parts of requests: project, paging, JSON bodies. */
final class Requests {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /**
   * Reads request bodies: a key given twice or anything after the value is refused, as in a
   * definition, instead of one of the two values winning silently.
   */
  static final ObjectReader BODY =
      Json.MAPPER
          .reader()
          .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature())
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Requests() {}

  /**
   * Refuses a query parameter the route does not take, so that a misspelt or unsupported filter
   * ({@code ?workflow=} where there is none) is a 400 naming it rather than silently ignored. Every
   * route takes {@code project}.
   */
  static void onlyParams(Context ctx, String... names) {
    Set<String> allowed = new LinkedHashSet<>();
    allowed.add("project");
    allowed.addAll(List.of(names));
    for (String name : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(name)) {
        throw new InvalidInputException(
            name,
            "'"
                + name
                + "' is not a parameter of this route; it takes "
                + String.join(", ", allowed));
      }
    }
  }

  /** As {@link #onlyParams} for a paginated list: {@code limit} and {@code cursor} besides. */
  static void onlyListParams(Context ctx, String... filters) {
    List<String> names = new ArrayList<>(List.of(filters));
    names.add("limit");
    names.add("cursor");
    onlyParams(ctx, names.toArray(String[]::new));
  }

  /** The request's project; a token limited to other projects gets 404. */
  static String project(Context ctx) {
    String project = ctx.queryParam("project");
    if (project == null || project.isEmpty()) {
      project = "default";
    }
    if (!PROJECT.matcher(project).matches()) {
      throw new InvalidInputException("project", "not a valid project name: " + project);
    }
    Principal principal = Auth.principal(ctx);
    if (!principal.canSee(project)) {
      throw ApiException.notFound("no project " + project);
    }
    return project;
  }

  static int limit(Context ctx) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("limit", "limit is a number from 1 to " + MAX_LIMIT);
    }
  }

  /** The form of a cursor that is an id with this prefix, as {@code run_}: the last item's id. */
  static Pattern idCursor(String prefix) {
    return Pattern.compile(Pattern.quote(prefix) + "[0-9A-Z]{26}");
  }

  /** The form of a cursor that is a definition's name: the last item's name. */
  static final Pattern NAME_CURSOR = PROJECT;

  /**
   * The request's {@code cursor}, null when there is none; a value not of the form this listing's
   * cursors take is a 400 naming {@code cursor}, never a page that silently skips or ends.
   */
  static String cursor(Context ctx, Pattern form) {
    String cursor = ctx.queryParam("cursor");
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    if (!form.matcher(cursor).matches()) {
      throw new InvalidInputException("cursor", "not a cursor this listing returned");
    }
    return cursor;
  }

  /** The JSON body, any value; null when the body is empty. */
  static JsonNode jsonValue(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      return null;
    }
    try {
      JsonNode node = BODY.readTree(new String(bytes, StandardCharsets.UTF_8));
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("body", JsonErrors.describe("the body is not valid JSON", e));
    }
  }

  /** The JSON body as an object; an empty body is an empty object. */
  static JsonNode jsonObject(Context ctx) {
    JsonNode node = jsonValue(ctx);
    if (node == null || node.isNull()) {
      return Json.object();
    }
    if (!node.isObject()) {
      throw new InvalidInputException("body", "the body must be a JSON object");
    }
    return node;
  }

  /**
   * The values of a repeatable query parameter, each also a comma-separated list ({@code
   * status=failed,cancelled}), parsed by {@code parse}; a value it refuses is an error naming the
   * parameter.
   */
  static <T> List<T> repeated(Context ctx, String name, Function<String, T> parse) {
    List<T> values = new ArrayList<>();
    for (String value : ctx.queryParams(name)) {
      for (String part : value.split(",")) {
        try {
          values.add(parse.apply(part.trim()));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException(name, e.getMessage());
        }
      }
    }
    return values;
  }

  /** A text field of a body, or null; a non-text value is an error naming the field. */
  static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidInputException(field, field + " must be a string");
    }
    return v.asText();
  }

  /**
   * A field of a body bound to {@code type}, or null when absent; a value of the wrong shape is an
   * error naming the field by its JSON path ({@code projects[0]}), never a server error.
   */
  static <T> T bind(JsonNode body, String field, TypeReference<T> type) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      return BODY.forType(type).readValue(v);
    } catch (JsonMappingException e) {
      String at = JsonErrors.path(field, e);
      throw new InvalidInputException(at, JsonErrors.mismatch(at, e));
    } catch (IOException e) {
      throw new InvalidInputException(field, field + " could not be read");
    }
  }
}
