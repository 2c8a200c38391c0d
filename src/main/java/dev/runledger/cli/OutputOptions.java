package dev.runledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code -o table|json|yaml} (and {@code --json}, the same as {@code -o json}) for a command that
 * prints a resource: a table or text for people by default, the server's answer as JSON or YAML for
 * scripts.
 */
final class OutputOptions {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

  /** How a command prints what it got. */
  enum Format {
    TABLE,
    JSON,
    YAML
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      completionCandidates = FormatNames.class,
      description = "table (the default, also 'text'), json or yaml.")
  Format format = Format.TABLE;

  @Option(names = "--json", description = "The same as -o json.")
  boolean json;

  /** The format asked for; {@code --json} wins over the default. */
  Format format() {
    return json ? Format.JSON : format;
  }

  /** Whether the answer is printed as JSON or YAML rather than for people. */
  boolean structured() {
    return format() != Format.TABLE;
  }

  /** Prints a document in the structured format asked for. */
  void print(PrintWriter out, JsonNode document) {
    if (format() == Format.YAML) {
      try {
        out.print(YAML.writeValueAsString(document));
      } catch (JsonProcessingException e) {
        throw new CliException("cannot write YAML: " + e.getOriginalMessage(), e);
      }
    } else {
      out.println(Json.pretty(document));
    }
    out.flush();
  }

  /** Reads {@code table}, {@code text}, {@code json} or {@code yaml}, in any case. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "table", "text" -> Format.TABLE;
        case "json" -> Format.JSON;
        case "yaml", "yml" -> Format.YAML;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "'" + value + "' is not an output format: use table, json or yaml");
      };
    }
  }

  /** The formats shell completion offers. */
  static final class FormatNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("table", "json", "yaml").iterator();
    }
  }
}
