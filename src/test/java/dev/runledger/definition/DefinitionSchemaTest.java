package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schema of definitions ({@code schemas/definition.json}) against the parser: every
 * example validates under both, and every file of the invalid corpus is refused by both, the parser
 * for exactly the field the file's first line names.
 */
class DefinitionSchemaTest {
  private static final Path CORPUS = Path.of("src/test/resources/definitions/invalid");
  private static final Definitions DEFINITIONS = new Definitions(Clock.systemUTC());
  private static final JsonSchemas SCHEMAS = new JsonSchemas();
  private static JsonNode schema;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in =
        DefinitionSchemaTest.class.getResourceAsStream("/schemas/definition.json")) {
      assertThat(in).as("schemas/definition.json on the classpath").isNotNull();
      schema = Json.MAPPER.readTree(in);
    }
  }

  static Stream<Path> examples() throws IOException {
    return yamlFiles(Path.of("examples"));
  }

  static Stream<Path> invalid() throws IOException {
    return yamlFiles(CORPUS);
  }

  private static Stream<Path> yamlFiles(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).as(dir + " has definitions").isNotEmpty();
    return files.stream();
  }

  private static ObjectNode parse(Path file) throws IOException {
    return DEFINITIONS.parse(Files.readString(file, StandardCharsets.UTF_8), true);
  }

  private static String kind(JsonNode document) {
    return "workflow".equals(document.path("kind").asText()) ? "workflow" : "action";
  }

  @Test
  void the_schema_is_a_valid_draft_2020_12_schema_that_the_repository_and_classpath_share()
      throws IOException {
    assertThat(SCHEMAS.check(schema, "schema")).isEmpty();
    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(Json.MAPPER.readTree(Files.readString(Path.of("schemas/definition.json"))))
        .isEqualTo(schema);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void every_example_validates_against_the_schema_and_the_parser(Path file) throws IOException {
    ObjectNode document = parse(file);
    assertThat(SCHEMAS.validate(schema, document, "")).as(file.toString()).isEmpty();
    DEFINITIONS.validate(kind(document), document, null);
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void the_parser_and_the_schema_both_refuse_each_invalid_file(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String expected = text.lines().findFirst().orElseThrow().replaceFirst("^# parser: ", "");
    ObjectNode document = DEFINITIONS.parse(text, true);

    InvalidInputException refused =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> DEFINITIONS.validate(kind(document), document, null));
    assertThat(refused).as(file + ": the parser accepts it").isNotNull();
    assertThat(refused.errors())
        .as(file + ": the parser's only problem")
        .extracting(FieldError::field)
        .containsOnly(expected);

    assertThat(SCHEMAS.validate(schema, document, ""))
        .as(file + ": the schema accepts it")
        .isNotEmpty();
  }

  /** The README's ```yaml blocks that are definitions (a line {@code kind: ...}). */
  static Stream<String> readmeDefinitions() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("(?ms)^```yaml\n(.*?)^```").matcher(readme);
    List<String> definitions = new ArrayList<>();
    while (block.find()) {
      if (Pattern.compile("(?m)^kind: ").matcher(block.group(1)).find()) {
        definitions.add(block.group(1));
      }
    }
    assertThat(definitions).as("README.md has definitions").isNotEmpty();
    return definitions.stream();
  }

  @ParameterizedTest
  @MethodSource("readmeDefinitions")
  void every_readme_definition_is_what_the_parser_and_the_schema_accept(String yaml) {
    ObjectNode document = DEFINITIONS.parse(yaml, true);
    DEFINITIONS.validate(kind(document), document, null);
    assertThat(SCHEMAS.validate(schema, document, "")).as(yaml).isEmpty();
  }

  @Test
  void the_readme_shows_a_command_actions_outputs_where_the_parser_reads_them() throws IOException {
    List<ObjectNode> withOutputs =
        readmeDefinitions()
            .map(yaml -> DEFINITIONS.parse(yaml, true))
            .filter(d -> d.path("command").path("outputs").path("files").size() > 0)
            .toList();
    assertThat(withOutputs).as("a README action with command.outputs.files").hasSize(1);
    assertThat(DEFINITIONS.action(withOutputs.get(0), "default").spec().path("outputs"))
        .isEqualTo(withOutputs.get(0).path("command").path("outputs"));
  }
}
