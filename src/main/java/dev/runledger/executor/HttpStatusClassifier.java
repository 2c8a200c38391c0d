package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Failure;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Classifies a response whose status is not a success: a redirect not followed and most 4xx are
 * deterministic, 408, 429 and 5xx transient (with the far side's Retry-After); each failure says
 * what came back and what to check.
 */
final class HttpStatusClassifier {
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(400, "bad request"),
          Map.entry(401, "unauthorized"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not found"),
          Map.entry(405, "method not allowed"),
          Map.entry(408, "request timeout"),
          Map.entry(409, "conflict"),
          Map.entry(410, "gone"),
          Map.entry(413, "payload too large"),
          Map.entry(415, "unsupported media type"),
          Map.entry(422, "unprocessable entity"),
          Map.entry(429, "too many requests"),
          Map.entry(500, "internal server error"),
          Map.entry(501, "not implemented"),
          Map.entry(502, "bad gateway"),
          Map.entry(503, "service unavailable"),
          Map.entry(504, "gateway timeout"));

  private HttpStatusClassifier() {}

  /**
   * @param target the origin the response came from
   * @param body the response body as {@link HttpResponseReader#body} read it
   */
  static AttemptResult.Failed failure(
      String target,
      HttpResponse<byte[]> response,
      JsonNode body,
      boolean followRedirects,
      Clock clock) {
    int status = response.statusCode();
    String cause =
        "HTTP "
            + status
            + " from "
            + target
            + ": "
            + REASONS.getOrDefault(status, reasonClass(status));
    String excerpt = HttpResponseReader.excerpt(body);
    if (!excerpt.isEmpty()) {
      cause += ": " + excerpt;
    }
    if (status >= 300 && status < 400) {
      String location = response.headers().firstValue("location").orElse(null);
      Failure failure =
          location == null
              ? Failure.deterministic(cause, "list the status in successCodes if it is expected")
              : Failure.deterministic(
                  "HTTP "
                      + status
                      + " from "
                      + target
                      + ": redirect to "
                      + location
                      + " not followed",
                  followRedirects
                      ? "use the final URL"
                      : "use the final URL, or set followRedirects: true");
      return new AttemptResult.Failed(failure, null, status, null);
    }
    if (status == 408 || status == 429 || status >= 500) {
      Duration retryAfter =
          parseRetryAfter(response.headers().firstValue("retry-after").orElse(null), clock);
      String wait = retryAfter == null ? null : "retry after " + retryAfter.toSeconds() + " s";
      String hint =
          switch (status) {
            case 429 ->
                "rate limited: " + (wait == null ? "a retry after a pause may succeed" : wait);
            case 408 -> "the service timed out waiting for the request; a retry may succeed";
            default ->
                "the service was unavailable; " + (wait == null ? "a retry may succeed" : wait);
          };
      return new AttemptResult.Failed(
          Failure.transientFailure(cause, hint), null, status, retryAfter);
    }
    String hint =
        switch (status) {
          case 401, 403 ->
              "check the credentials (a secret's token) and what they are allowed to do";
          case 404 -> "check the URL";
          case 400, 422 -> "the request was rejected, check the parameters";
          case 405 -> "check the method";
          case 409 -> "the request conflicts with the service's current state";
          default ->
              status >= 200 && status < 300
                  ? "list the status in successCodes if it is a success"
                  : "the request was refused; check the action's request";
        };
    return new AttemptResult.Failed(Failure.deterministic(cause, hint), null, status, null);
  }

  private static String reasonClass(int status) {
    if (status >= 200 && status < 300) {
      return "not one of the successCodes";
    }
    return status >= 500 ? "server error" : "unexpected status";
  }

  /** A Retry-After value: delta seconds or an HTTP date; null when absent or unreadable. */
  static Duration parseRetryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
