package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runledger.model.Durations;
import dev.runledger.model.Failure;
import dev.runledger.model.FailureKind;
import dev.runledger.model.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Runs the built-in actions {@code noop}, {@code log}, {@code sleep} and {@code fail}. */
public final class BuiltinExecutor implements ActionExecutor {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String kind() {
    return "builtin";
  }

  @Override
  public AttemptResult execute(AttemptContext context) {
    Templates templates = context.templates();
    try {
      JsonNode spec = context.spec();
      if (spec == null || !spec.isObject() || spec.size() != 1) {
        throw AttemptFailedException.deterministic(
            "builtin must name exactly one built-in action",
            "write builtin: {noop: {}}, {log: ...}, {sleep: ...} or {fail: ...}");
      }
      String name = spec.fieldNames().next();
      JsonNode args = spec.get(name);
      return switch (name) {
        case "noop" -> new AttemptResult.Succeeded(JSON.createObjectNode(), false, null, null);
        case "log" -> log(context, args);
        case "sleep" -> sleep(context, args);
        case "fail" -> fail(context, args);
        case "emit" ->
            throw AttemptFailedException.deterministic(
                "builtin emit is carried out by the engine, not by an executor",
                "this is a defect of the engine's wiring: report it");
        default ->
            throw AttemptFailedException.deterministic(
                "unknown builtin: " + name, "use noop, log, sleep, fail or emit");
      };
    } catch (AttemptFailedException e) {
      return masked(e.failure(), templates);
    } catch (TemplateException e) {
      return masked(
          Failure.deterministic(e.getMessage(), "fix the expression in the builtin section"),
          templates);
    }
  }

  private static AttemptResult log(AttemptContext context, JsonNode args)
      throws AttemptFailedException {
    JsonNode message = args == null ? null : args.get("message");
    if (message == null || message.isNull()) {
      throw AttemptFailedException.deterministic(
          "builtin log needs a message", "write log: {message: \"...\"}");
    }
    String text = context.templates().mask(context.templates().renderText(message, Map.of()));
    context.log().stdout(text);
    return new AttemptResult.Succeeded(
        JSON.createObjectNode().put("message", text), false, null, null);
  }

  /** A durable timer: no thread waits; the engine resumes the attempt when it is due. */
  private static AttemptResult sleep(AttemptContext context, JsonNode args)
      throws AttemptFailedException {
    Instant now = context.clock().instant();
    Instant due = context.timerDue();
    if (due == null) {
      due = dueOf(context, args, now);
    }
    return now.isBefore(due)
        ? new AttemptResult.Sleep(due)
        : new AttemptResult.Succeeded(JSON.createObjectNode(), false, null, null);
  }

  private static Instant dueOf(AttemptContext context, JsonNode args, Instant now)
      throws AttemptFailedException {
    boolean hasFor = args != null && args.hasNonNull("for");
    boolean hasUntil = args != null && args.hasNonNull("until");
    if (hasFor == hasUntil) {
      throw AttemptFailedException.deterministic(
          "builtin sleep needs exactly one of for or until",
          "write sleep: {for: 10m} or sleep: {until: \"2030-01-01T06:00:00Z\"}");
    }
    if (hasFor) {
      String text = context.templates().renderText(args.get("for"), Map.of());
      Instant due;
      try {
        due = now.plus(Durations.parse(text));
      } catch (IllegalArgumentException e) {
        throw AttemptFailedException.deterministic("sleep.for: " + e.getMessage(), null);
      } catch (DateTimeException | ArithmeticException e) {
        due = Instant.MAX;
      }
      return inRange("sleep.for", "'" + text + "' ends at " + due, due);
    }
    String text = context.templates().renderText(args.get("until"), Map.of());
    Instant due;
    try {
      due = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw AttemptFailedException.deterministic(
          "sleep.until: '" + text + "' is not an RFC 3339 time",
          "write a time with its offset, as 2030-01-01T06:00:00Z or 2030-01-01T07:00:00+01:00");
    }
    return inRange("sleep.until", "'" + text + "'", due);
  }

  /** The timer's due time, or a deterministic failure when no store could hold it. */
  private static Instant inRange(String field, String shown, Instant due)
      throws AttemptFailedException {
    if (!Timestamps.inRange(due)) {
      throw AttemptFailedException.deterministic(
          field + ": " + shown + " is outside the supported times, " + Timestamps.RANGE,
          "sleep until a time within " + Timestamps.RANGE);
    }
    return due;
  }

  private static AttemptResult fail(AttemptContext context, JsonNode args)
      throws AttemptFailedException {
    JsonNode cause = args == null ? null : args.get("cause");
    if (cause == null || cause.isNull()) {
      throw AttemptFailedException.deterministic(
          "builtin fail needs a cause", "write fail: {cause: \"...\", kind: deterministic}");
    }
    FailureKind kind;
    try {
      kind =
          args.hasNonNull("kind")
              ? FailureKind.fromWire(args.get("kind").asText())
              : FailureKind.DETERMINISTIC;
    } catch (IllegalArgumentException e) {
      throw AttemptFailedException.deterministic("fail.kind: " + e.getMessage(), null);
    }
    String text = context.templates().renderText(cause, Map.of());
    throw new AttemptFailedException(
        new Failure(kind, text, "the action fails on purpose (builtin fail)"));
  }

  private static AttemptResult.Failed masked(Failure failure, Templates templates) {
    return new AttemptResult.Failed(
        new Failure(
            failure.kind(),
            failure.cause() == null ? null : templates.mask(failure.cause()),
            failure.hint() == null ? null : templates.mask(failure.hint())),
        null,
        null,
        null);
  }
}
