package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.ActionDefinition;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.RetryPolicy;
import dev.runledger.model.Timestamps;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads and validates an action definition (DEFINITIONS.md), reporting every problem at once, each
 * under its field path ({@code http.url}, {@code command.run[2]}, {@code retry.maxAttempts}).
 */
public final class ActionDefinitionReader {
  /** The project a definition belongs to when neither the request nor the definition names one. */
  public static final String DEFAULT_PROJECT = "default";

  public static final List<String> KINDS = List.of("http", "command", "builtin");
  public static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
  public static final List<String> BUILTINS = List.of("noop", "log", "sleep", "fail", "emit");
  public static final List<String> FAILURE_KINDS = List.of("transient", "deterministic");

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String RESERVED_ENV_PREFIX = "RUNLEDGER_";

  private final DefinitionChecks checks;

  public ActionDefinitionReader(DefinitionChecks checks) {
    this.checks = checks;
  }

  /**
   * Validates a parsed action definition.
   *
   * @param project the project the request is for ({@code ?project=}), or null when the request
   *     names none; a {@code project:} key that differs from it is an error
   * @throws InvalidInputException listing every problem found
   */
  public ActionDefinition read(JsonNode definition, String project) {
    Problems problems = new Problems();
    ObjectReader top = ObjectReader.of(definition, "", problems);
    if (top == null) {
      problems.throwIfAny("invalid action definition");
    }
    DefinitionChecks.Header header = checks.header(top, "action", project);
    String name = header.name();
    String effectiveProject = header.project();
    String description = top.string("description", false);
    JsonNode inputs = checks.objectSchema(top, "inputs");

    List<String> kinds = top.present(KINDS.toArray(String[]::new));
    if (kinds.isEmpty()) {
      problems.add("http|command|builtin", "an action needs exactly one of http, command, builtin");
    }
    for (int i = 1; i < kinds.size(); i++) {
      top.problem(
          kinds.get(i),
          "an action has exactly one of http, command, builtin; this one also has " + kinds.get(0));
    }
    for (String section : kinds) {
      switch (section) {
        case "http" -> readHttp(top.object("http", true));
        case "command" -> readCommand(top.object("command", true));
        default -> readBuiltin(top.object("builtin", true));
      }
      checks.expressions(top.node().get(section), section, problems);
    }

    JsonNode outputsSchema = checks.objectSchema(top, "outputsSchema");
    String result = top.string("result", false);
    if (result != null) {
      checks.expressions(top.node().get("result"), "result", problems);
    }
    Duration timeout = checks.positiveDuration(top, "timeout");
    RetryPolicy retry = checks.retry(top, "retry");
    top.rejectUnknown();
    problems.throwIfAny("invalid action definition");

    String actionKind = kinds.get(0);
    return new ActionDefinition(
        effectiveProject,
        name,
        description,
        inputs == null ? null : inputs.deepCopy(),
        actionKind,
        top.node().get(actionKind).deepCopy(),
        outputsSchema == null ? null : outputsSchema.deepCopy(),
        result,
        timeout,
        retry == null ? RetryPolicy.NONE : retry);
  }

  /**
   * The definition as it is hashed and stored: a copy with {@code project} set to the effective
   * project, so that omitting {@code project:} and writing {@code project: default} hash the same.
   */
  public ObjectNode normalize(JsonNode definition, String project) {
    ObjectNode copy = ((ObjectNode) definition).deepCopy();
    copy.put("project", effectiveProject(definition, project));
    return copy;
  }

  /** The request's project if given, else the definition's {@code project:}, else "default". */
  public static String effectiveProject(JsonNode definition, String project) {
    if (project != null) {
      return project;
    }
    JsonNode declared = definition == null ? null : definition.get("project");
    return declared != null && declared.isTextual() ? declared.textValue() : DEFAULT_PROJECT;
  }

  private void readHttp(ObjectReader http) {
    if (http == null) {
      return;
    }
    http.oneOf("method", false, METHODS);
    String url = http.nonBlank("url", true);
    if (url != null && !TemplateSyntax.hasExpression(url)) {
      checkUrl(http, url);
    }
    http.stringMap(
        "headers",
        false,
        HEADER_NAME,
        "is not a valid header name (letters, digits and !#$%&'*+.^_`|~-)");
    http.any("body", false);
    http.integers("successCodes", false, true, 100, 599);
    http.stringMap("outputs", false, null, null);
    http.bool("followRedirects", false);
    http.rejectUnknown();
  }

  private static void checkUrl(ObjectReader http, String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        http.problem("url", "must be an absolute http:// or https:// URL");
      }
    } catch (URISyntaxException e) {
      http.problem("url", "is not a valid URL: " + e.getReason());
    }
  }

  private void readCommand(ObjectReader command) {
    if (command == null) {
      return;
    }
    List<String> run = command.strings("run", false, true);
    String script = command.nonBlank("script", false);
    boolean hasRun = command.node().hasNonNull("run");
    boolean hasScript = command.node().hasNonNull("script");
    if (hasRun && hasScript) {
      command.problem("script", "give either run (an argv list) or script, not both");
    } else if (!hasRun && !hasScript) {
      command.problem("run", "is required (an argv list), or give script instead");
    }
    JsonNode program = command.node().path("run").path(0);
    if (run != null && program.isTextual() && program.textValue().isBlank()) {
      command
          .problems()
          .add(FieldPath.index(command.pathOf("run"), 0), "must name the program to run");
    }
    var env =
        command.stringMap(
            "env",
            false,
            ENV_NAME,
            "is not a valid environment variable name (letters, digits and _, not starting with a"
                + " digit)");
    if (env != null) {
      for (String variable : env.keySet()) {
        if (variable.toUpperCase(Locale.ROOT).startsWith(RESERVED_ENV_PREFIX)) {
          command
              .problems()
              .add(
                  FieldPath.key(command.pathOf("env"), variable),
                  "is reserved: Runledger sets RUNLEDGER_* variables itself");
        }
      }
    }
    ObjectReader inputs = command.object("inputs", false);
    if (inputs != null) {
      List<ObjectReader> files = inputs.objects("files", true, false);
      if (files != null) {
        for (ObjectReader file : files) {
          file.nonBlank("from", true);
          relativePath(file, "as", file.nonBlank("as", true));
          file.rejectUnknown();
        }
      }
      inputs.rejectUnknown();
    }
    ObjectReader outputs = command.object("outputs", false);
    if (outputs != null) {
      List<String> files = outputs.strings("files", true, false);
      if (files != null) {
        for (int i = 0; i < files.size(); i++) {
          String problem = relativePathProblem(files.get(i));
          if (problem != null) {
            outputs.problems().add(FieldPath.index(outputs.pathOf("files"), i), problem);
          }
        }
      }
      outputs.rejectUnknown();
    }
    command.integers("retryableExitCodes", false, false, 0, 255);
    command.rejectUnknown();
  }

  private static void relativePath(ObjectReader reader, String key, String path) {
    String problem = path == null ? null : relativePathProblem(path);
    if (problem != null) {
      reader.problem(key, problem);
    }
  }

  /** Files are named relative to the attempt's working directory, and stay inside it. */
  private static String relativePathProblem(String path) {
    if (path.isBlank()) {
      return "must not be empty";
    }
    if (TemplateSyntax.hasExpression(path)) {
      return null;
    }
    if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
      return "must be a path relative to the working directory";
    }
    for (String segment : path.split("[/\\\\]")) {
      if (segment.equals("..")) {
        return "must stay inside the working directory (no '..')";
      }
    }
    return null;
  }

  private void readBuiltin(ObjectReader builtin) {
    if (builtin == null) {
      return;
    }
    List<String> present = new ArrayList<>();
    for (String name : BUILTINS) {
      if (builtin.node().has(name)) { // `noop:` with no value counts
        present.add(name);
      }
    }
    builtin.allow(BUILTINS.toArray(String[]::new));
    if (present.isEmpty()) {
      builtin.problems().add(builtin.path(), "needs exactly one of " + String.join(", ", BUILTINS));
    }
    for (int i = 1; i < present.size(); i++) {
      builtin.problem(
          present.get(i),
          "a builtin action has exactly one kind; this one also has " + present.get(0));
    }
    for (String name : present) {
      JsonNode value = builtin.node().get(name);
      if (name.equals("noop")) {
        if (!value.isNull()) {
          ObjectReader noop = builtin.object("noop", false);
          if (noop != null) {
            noop.rejectUnknown();
          }
        }
        continue;
      }
      ObjectReader section = builtin.object(name, true);
      if (section == null) {
        continue;
      }
      switch (name) {
        case "log" -> section.nonBlank("message", true);
        case "sleep" -> readSleep(section);
        case "fail" -> {
          section.nonBlank("cause", true);
          section.oneOf("kind", false, FAILURE_KINDS);
        }
        default -> {
          section.nonBlank("type", true);
          section.any("data", false);
        }
      }
      section.rejectUnknown();
    }
    builtin.rejectUnknown();
  }

  private void readSleep(ObjectReader sleep) {
    List<String> given = sleep.present("for", "until");
    if (given.size() != 1) {
      sleep
          .problems()
          .add(
              sleep.path(),
              given.isEmpty()
                  ? "needs for (a duration, as 10m) or until (an RFC 3339 time)"
                  : "give either for or until, not both");
    }
    String duration = sleep.string("for", false);
    if (duration != null && !TemplateSyntax.hasExpression(duration)) {
      checks.positiveDuration(sleep, "for");
    }
    String until = sleep.nonBlank("until", false);
    if (until != null && !TemplateSyntax.hasExpression(until)) {
      try {
        Instant due =
            OffsetDateTime.parse(until, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        if (!Timestamps.inRange(due)) {
          sleep.problem("until", Timestamps.outOfRange(until));
        }
      } catch (DateTimeParseException e) {
        sleep.problem("until", "'" + until + "' is not an RFC 3339 time (as 2026-11-21T07:00:00Z)");
      }
    }
  }
}
