package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an action's {@code command} section into the argv, environment and exit-code rules of one
 * attempt: {@code run} is an argv rendered element by element, {@code script} a bash file written
 * into the working directory and never templated; parameters never reach a shell line.
 */
final class CommandPreparer {
  static final String SCRIPT_FILE = ".runledger-script.sh";

  private static final Set<String> SPEC_KEYS =
      Set.of("run", "script", "env", "retryableExitCodes", "inputs", "outputs");

  private final CommandEnvironment environment;

  CommandPreparer(CommandEnvironment environment) {
    this.environment = environment;
  }

  PreparedCommand prepare(AttemptContext context) throws AttemptFailedException {
    JsonNode spec = context.spec();
    Templates templates = context.templates();
    ActionSection.check(
        spec,
        "command",
        SPEC_KEYS,
        "write command: {run: [...]} or {script: ...}",
        "use run or script, env, retryableExitCodes");
    boolean hasRun = spec.hasNonNull("run");
    boolean hasScript = spec.hasNonNull("script");
    if (hasRun == hasScript) {
      throw AttemptFailedException.deterministic(
          "command needs exactly one of run (an argv list) or script",
          "write run: [program, arg, ...] or script: |");
    }

    List<String> outputPatterns = OutputFiles.patterns(spec, templates);
    Map<String, String> env = environment.of(context);
    ProgramResolver programs =
        new ProgramResolver(
            env.getOrDefault("PATH", ""), environment.isOwnPath(env), context.workDir());
    List<String> argv = new ArrayList<>();
    Path program;
    List<String> shown = new ArrayList<>();
    if (hasRun) {
      JsonNode run = spec.get("run");
      if (!run.isArray() || run.isEmpty()) {
        throw AttemptFailedException.deterministic(
            "command.run must be a non-empty list: the program and its arguments",
            "write run: [program, arg, ...]; each element is exactly one argument");
      }
      List<String> args = new ArrayList<>();
      for (JsonNode element : run) {
        String arg = templates.renderText(element, Map.of());
        if (arg.indexOf('\0') >= 0) {
          throw AttemptFailedException.deterministic(
              "argument " + args.size() + " of command.run contains a NUL character",
              "check the parameters that fill it");
        }
        args.add(arg);
      }
      program = programs.resolve(args.get(0));
      argv.add(program.toString());
      argv.addAll(args.subList(1, args.size()));
      shown.add(program.toString());
      args.subList(1, args.size()).forEach(a -> shown.add(templates.mask(a)));
    } else {
      JsonNode script = spec.get("script");
      if (!script.isTextual()) {
        throw AttemptFailedException.deterministic(
            "command.script must be a string", "write script: | followed by bash lines");
      }
      if (script.asText().contains("${{")) {
        throw AttemptFailedException.deterministic(
            "command.script contains a ${{ }} expression; scripts are not templated",
            "pass parameters through env (env: {NAME: \"${{ inputs.x }}\"}) and use \"$NAME\"");
      }
      Path file = context.workDir().resolve(SCRIPT_FILE);
      try {
        Files.writeString(file, script.asText(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw AttemptFailedException.transientFailure(
            "could not write the script into the working directory: " + e.getMessage(),
            "check the free space and permissions of the data directory");
      }
      program = programs.resolve("bash");
      argv.add(program.toString());
      argv.add("-eu");
      argv.add(file.toString());
      shown.add(program.toString());
      shown.add("-eu");
      shown.add(SCRIPT_FILE);
    }
    return new PreparedCommand(argv, env, retryableExitCodes(spec), outputPatterns, program, shown);
  }

  private static Set<Integer> retryableExitCodes(JsonNode spec) throws AttemptFailedException {
    Set<Integer> codes = new HashSet<>();
    JsonNode node = spec.get("retryableExitCodes");
    if (node == null || node.isNull()) {
      return codes;
    }
    if (!node.isArray()) {
      throw AttemptFailedException.deterministic(
          "command.retryableExitCodes must be a list of exit codes", "write [75, 111]");
    }
    for (JsonNode code : node) {
      if (!code.canConvertToInt() || !code.isIntegralNumber()) {
        throw AttemptFailedException.deterministic(
            "command.retryableExitCodes holds " + code + ", not an exit code", "write [75, 111]");
      }
      codes.add(code.intValue());
    }
    return codes;
  }
}
