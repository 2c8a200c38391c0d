package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An error answer from the server, read from its RFC 9457 problem details when it sent them. The
 * message is what a person reads: {@code 400 Bad Request: parameters failed validation} followed by
 * one indented line per field error.
 */
public final class ApiException extends CliException {

  /** One entry of a problem's {@code errors} array. */
  public record FieldError(String field, String message) {}

  private final int status;
  private final String title;
  private final String detail;
  private final List<FieldError> errors;

  public ApiException(int status, String title, String detail, List<FieldError> errors) {
    super(format(status, title, detail, errors));
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = List.copyOf(errors);
  }

  /** Reads a response body: problem+json when it is one, otherwise a short excerpt of the text. */
  static ApiException fromResponse(int status, String contentType, String body) {
    String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    if (body != null && !body.isBlank() && type.contains("json")) {
      try {
        JsonNode node = Json.MAPPER.readTree(body);
        if (node != null && node.isObject()) {
          String title = text(node, "title");
          String detail = text(node, "detail");
          List<FieldError> errors = new ArrayList<>();
          for (JsonNode error : node.path("errors")) {
            errors.add(new FieldError(text(error, "field"), text(error, "message")));
          }
          if (title == null && detail == null) {
            detail = firstNonNull(text(node, "message"), text(node, "error"));
          }
          return new ApiException(status, title, detail, errors);
        }
      } catch (java.io.IOException notJson) {
        // fall through to the plain-text reading
      }
    }
    String detail = null;
    if (body != null && !body.isBlank() && !type.contains("html")) {
      detail = body.strip().lines().findFirst().orElse("");
      if (detail.length() > 200) {
        detail = detail.substring(0, 200) + "...";
      }
    }
    return new ApiException(status, null, detail, List.of());
  }

  public int status() {
    return status;
  }

  @Override
  public int exitCode() {
    return ExitCodes.forStatus(status);
  }

  public String title() {
    return title;
  }

  public String detail() {
    return detail;
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String format(int status, String title, String detail, List<FieldError> errors) {
    StringBuilder sb = new StringBuilder();
    sb.append(status).append(' ').append(title == null ? reason(status) : title);
    if (detail != null && !detail.isBlank() && !detail.equals(title)) {
      sb.append(": ").append(detail);
    }
    for (FieldError e : errors) {
      sb.append("\n  ");
      if (e.field() != null && !e.field().isBlank()) {
        sb.append(e.field()).append(": ");
      }
      sb.append(e.message() == null ? "invalid" : e.message());
    }
    if (status == 401) {
      sb.append("\n  (set ")
          .append(ClientConfig.TOKEN_VARIABLE)
          .append(" or pass --token with a valid API token)");
    }
    return sb.toString();
  }

  static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "HTTP error";
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}
