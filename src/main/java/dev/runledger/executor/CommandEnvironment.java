package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment of a command attempt: the few variables of the server passed on (never its own
 * environment), the action's {@code env}, the engine's variables (secrets, inputs) and the {@code
 * RUNLEDGER_*} variables that describe the attempt.
 */
final class CommandEnvironment {
  /** Where a command writes its outputs, in its working directory ({@code RUNLEDGER_OUTPUT}). */
  static final String OUTPUT_FILE = ".runledger-output";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> base;

  /**
   * @param base the only variables of the server passed on (PATH, HOME, LANG)
   */
  CommandEnvironment(Map<String, String> base) {
    this.base = Map.copyOf(base);
  }

  /** PATH, HOME and LANG of this server. */
  static Map<String, String> serverDefaults() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", orElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", orElse(System.getenv("HOME"), System.getProperty("user.home")));
    env.put("LANG", orElse(System.getenv("LANG"), "C.UTF-8"));
    return env;
  }

  /** The PATH of the server as passed on (where setsid and kill are looked up). */
  String basePath() {
    return base.getOrDefault("PATH", "/usr/bin:/bin");
  }

  /** Whether an attempt's environment looks programs up on a PATH of its own. */
  boolean isOwnPath(Map<String, String> env) {
    return !env.getOrDefault("PATH", "").equals(base.getOrDefault("PATH", ""));
  }

  Map<String, String> of(AttemptContext context) throws AttemptFailedException {
    Map<String, String> env = new LinkedHashMap<>(base);
    env.put("TMPDIR", context.workDir().toString());
    JsonNode declared = context.spec().get("env");
    if (declared != null && !declared.isNull()) {
      if (!declared.isObject()) {
        throw AttemptFailedException.deterministic(
            "command.env must be a map of names to values", "write env: {NAME: value}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String value = context.templates().renderText(entry.getValue(), Map.of());
        putChecked(env, entry.getKey(), value);
      }
    }
    for (Map.Entry<String, String> entry : context.environment().entrySet()) {
      putChecked(env, entry.getKey(), entry.getValue());
    }
    env.put("RUNLEDGER_RUN_ID", context.runId());
    env.put("RUNLEDGER_TASK", context.taskName());
    env.put("RUNLEDGER_ATTEMPT", Integer.toString(context.attempt()));
    env.put("RUNLEDGER_IDEMPOTENCY_KEY", context.idempotencyKey());
    env.put("RUNLEDGER_OUTPUT", context.workDir().resolve(OUTPUT_FILE).toString());
    return env;
  }

  private static void putChecked(Map<String, String> env, String name, String value)
      throws AttemptFailedException {
    if (!ENV_NAME.matcher(name).matches()) {
      throw AttemptFailedException.deterministic(
          "'" + name + "' is not a valid environment variable name",
          "use letters, digits and _, not starting with a digit");
    }
    if (value.indexOf('\0') >= 0) {
      throw AttemptFailedException.deterministic(
          "environment variable " + name + " contains a NUL character",
          "check the parameters that fill it");
    }
    env.put(name, value);
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
