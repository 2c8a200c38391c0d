package dev.runledger.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads the outputs a command wrote to {@code RUNLEDGER_OUTPUT}: one JSON object, or {@code
 * key=value} lines.
 */
final class OutputFileParser {
  static final long MAX_BYTES = 1024 * 1024;
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private final ObjectMapper json;

  OutputFileParser(ObjectMapper json) {
    this.json = json;
  }

  /** The outputs; an empty object when the file is missing or blank. */
  ObjectNode parse(Path file) throws AttemptFailedException {
    if (Files.isSymbolicLink(file)) {
      // read by the server, which may see what an isolated command cannot
      throw AttemptFailedException.deterministic(
          "RUNLEDGER_OUTPUT is a symlink; it is not followed", "write the outputs into the file");
    }
    if (!Files.exists(file)) {
      return json.createObjectNode();
    }
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw AttemptFailedException.deterministic(
            "RUNLEDGER_OUTPUT is larger than " + MAX_BYTES / 1024 + " KiB",
            "write large results to a file and declare it in the action's outputs.files");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw AttemptFailedException.deterministic(
          "could not read RUNLEDGER_OUTPUT: " + e.getMessage(),
          "write outputs as UTF-8 text: key=value lines or one JSON object");
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return json.createObjectNode();
    }
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      return parseJson(trimmed);
    }
    return parseLines(text);
  }

  private ObjectNode parseJson(String text) throws AttemptFailedException {
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw AttemptFailedException.deterministic(
          "RUNLEDGER_OUTPUT is not valid JSON: " + e.getOriginalMessage(),
          "write one JSON object, or key=value lines");
    }
    if (!(node instanceof ObjectNode object)) {
      throw AttemptFailedException.deterministic(
          "RUNLEDGER_OUTPUT holds a JSON "
              + node.getNodeType().name().toLowerCase()
              + ", not an object",
          "write one JSON object, or key=value lines");
    }
    return object;
  }

  private ObjectNode parseLines(String text) throws AttemptFailedException {
    ObjectNode outputs = json.createObjectNode();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      String key = eq < 0 ? "" : line.substring(0, eq).strip();
      if (!KEY.matcher(key).matches()) {
        throw AttemptFailedException.deterministic(
            "RUNLEDGER_OUTPUT line " + (i + 1) + " is not key=value: " + abbreviate(line),
            "write one key=value per line (keys: letters, digits, _ . -), or one JSON object");
      }
      outputs.put(key, line.substring(eq + 1));
    }
    return outputs;
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? "'" + line + "'" : "'" + line.substring(0, 77) + "...'";
  }
}
