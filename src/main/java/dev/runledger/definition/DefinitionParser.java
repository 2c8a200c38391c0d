package dev.runledger.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.JsonErrors;
import java.io.IOException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses a definition body (YAML or JSON) into a JSON tree, within limits that defeat hostile
 * input.
 */
public final class DefinitionParser {
  /** Largest body accepted, in characters (the HTTP layer usually stops bigger ones first). */
  public static final int MAX_CHARS = 1 << 20;

  /** Deepest nesting of objects and arrays accepted. */
  public static final int MAX_DEPTH = 64;

  private static final String FIELD = "body";

  private final ObjectMapper json;
  private final ObjectMapper yaml;

  public DefinitionParser() {
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(MAX_CHARS)
            .maxNameLength(1024)
            .maxNumberLength(100)
            .maxDocumentLength(4L * MAX_CHARS)
            .build();
    JsonFactory jsonFactory =
        JsonFactory.builder()
            .streamReadConstraints(constraints)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.json = configure(new ObjectMapper(jsonFactory));

    LoaderOptions loader = new LoaderOptions();
    // Jackson reads YAML as a stream of events and never expands aliases (they are refused below);
    // these SnakeYAML limits are a second line should that ever change.
    loader.setMaxAliasesForCollections(50);
    loader.setNestingDepthLimit(MAX_DEPTH);
    loader.setCodePointLimit(MAX_CHARS);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory yamlFactory =
        YAMLFactory.builder()
            .loaderOptions(loader)
            .streamReadConstraints(constraints)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // yes/no/on/off stay strings: only true and false are booleans, as in JSON
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            // `key:` with no value is null, as YAML means; a quoted '' stays an empty string
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();
    this.yaml = configure(new ObjectMapper(yamlFactory));
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    // exact decimals keep the canonical form (and so the hash) independent of double formatting
    return mapper
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * Parses a body.
   *
   * @param yaml true for YAML, false for JSON
   * @return the top-level object
   * @throws InvalidInputException on field {@code body}, naming line and column when known
   */
  public ObjectNode parse(String body, boolean yaml) {
    if (body == null || body.isBlank()) {
      throw new InvalidInputException(FIELD, "is empty: expected a definition object");
    }
    if (body.length() > MAX_CHARS) {
      throw new InvalidInputException(
          FIELD, "is too large: " + body.length() + " characters, at most " + MAX_CHARS);
    }
    JsonNode node;
    ObjectMapper mapper = yaml ? this.yaml : this.json;
    JsonParser parser = null;
    try {
      parser = mapper.getFactory().createParser(body);
      if (yaml) {
        parser = new NoAliases(parser);
      }
      node = mapper.readTree(parser);
      if (parser.nextToken() != null) {
        throw new InvalidInputException(FIELD, at(parser.currentLocation()) + trailing(yaml));
      }
    } catch (JsonProcessingException e) {
      rethrowIfInvalid(e);
      if (JsonErrors.isTrailingContent(e)) {
        // FAIL_ON_TRAILING_TOKENS answers first, naming the Java type it bound
        throw new InvalidInputException(FIELD, at(e.getLocation()) + trailing(yaml));
      }
      throw new InvalidInputException(FIELD, describe(e, parser));
    } catch (YAMLException e) {
      throw new InvalidInputException(FIELD, describe(e));
    } catch (IOException | RuntimeException e) {
      rethrowIfInvalid(e);
      throw new InvalidInputException(FIELD, "could not be read: " + firstLine(e.getMessage()));
    } finally {
      closeQuietly(parser);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new InvalidInputException(FIELD, "is empty: expected a definition object");
    }
    if (!node.isObject()) {
      throw new InvalidInputException(
          FIELD, "must be an object at the top level, not " + describeType(node));
    }
    return (ObjectNode) node;
  }

  private static String trailing(boolean yaml) {
    return yaml
        ? "more than one YAML document: send one definition per request"
        : "unexpected text after the object";
  }

  private static void rethrowIfInvalid(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidInputException invalid) {
        throw invalid;
      }
    }
  }

  private static void closeQuietly(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // reading a String: nothing to release
      }
    }
  }

  private static String describe(JsonProcessingException e, JsonParser parser) {
    Throwable cause = e.getCause();
    if (cause instanceof MarkedYAMLException marked) {
      return describe(marked);
    }
    if (cause instanceof YAMLException other) {
      return describe(other);
    }
    JsonLocation location = e.getLocation();
    if ((location == null || location.getLineNr() < 1) && parser != null) {
      location = parser.currentLocation(); // limits are reported without a location
    }
    // "(64, from `StreamReadConstraints.getMaxNestingDepth()`)" -> "(64)"
    String message = firstLine(e.getOriginalMessage()).replaceAll(", from `[^`]*`", "");
    return at(location) + message;
  }

  private static String describe(YAMLException e) {
    if (e instanceof MarkedYAMLException marked) {
      Mark mark =
          marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
      String where =
          mark == null
              ? ""
              : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
      String problem = marked.getProblem() == null ? "" : marked.getProblem();
      String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
      return where + firstLine(problem + context);
    }
    return firstLine(e.getMessage());
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "is not valid";
    }
    String line = message.strip();
    int newline = line.indexOf('\n');
    line = newline < 0 ? line : line.substring(0, newline).strip();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static String describeType(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Refuses YAML aliases: Jackson would read {@code *name} as the string "name", silently. */
  private static final class NoAliases extends JsonParserDelegate {
    NoAliases(JsonParser parser) {
      super(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken token = super.nextToken();
      if (delegate() instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias()) {
        throw new InvalidInputException(
            FIELD,
            at(yamlParser.currentLocation())
                + "YAML aliases (*"
                + yamlParser.getText()
                + ") are not supported: write the value out");
      }
      return token;
    }
  }
}
