package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {
  private final DefinitionParser parser = new DefinitionParser();

  private FieldError rejected(String body, boolean yaml) {
    InvalidInputException e =
        catchThrowableOfType(InvalidInputException.class, () -> parser.parse(body, yaml));
    assertThat(e).as("expected %s to be rejected", body.length() > 80 ? "body" : body).isNotNull();
    assertThat(e.errors()).hasSize(1);
    FieldError error = e.errors().get(0);
    assertThat(error.field()).isEqualTo("body");
    assertThat(error.message())
        .doesNotContain("\n")
        .doesNotContain("at com.")
        .doesNotContain("Exception");
    return error;
  }

  @Test
  void yaml_and_json_of_the_same_definition_parse_to_equal_trees() {
    JsonNode fromYaml = parser.parse("kind: action\nname: x\nretry: {maxAttempts: 3}\n", true);
    JsonNode fromJson =
        parser.parse("{\"kind\":\"action\",\"name\":\"x\",\"retry\":{\"maxAttempts\":3}}", false);
    assertThat(fromYaml).isEqualTo(fromJson);
  }

  @Test
  void yaml_alias_bomb_is_rejected_quickly() {
    StringBuilder bomb =
        new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 0; i < 20; i++) {
      char previous = (char) ('a' + i);
      char current = (char) ('b' + i);
      bomb.append(current).append(": &").append(current).append(" [");
      for (int j = 0; j < 9; j++) {
        bomb.append(j > 0 ? "," : "").append('*').append(previous);
      }
      bomb.append("]\n");
    }
    FieldError error =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> rejected(bomb.toString(), true));
    assertThat(error.message()).contains("aliases").contains("line 2");
  }

  @Test
  void ten_thousand_deep_yaml_is_rejected_quickly() {
    String flow = "a: " + "[".repeat(10_000) + "]".repeat(10_000);
    String block = "- ".repeat(10_000) + "x\n"; // block sequences nested 10,000 deep
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> {
          assertThat(rejected(flow, true).message()).contains("nesting depth");
          assertThat(rejected(block, true).message()).contains("nesting depth");
        });
  }

  @Test
  void ten_thousand_deep_json_is_rejected_quickly() {
    String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    FieldError error =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> rejected(deep, false));
    assertThat(error.message()).contains("nesting depth").contains("line 1");
  }

  @Test
  void malformed_yaml_names_the_line() {
    FieldError error = rejected("kind: action\nname: [1, 2\nfoo: 3\n", true);
    assertThat(error.message()).startsWith("line 3, column");
  }

  @Test
  void malformed_json_names_the_line_and_column() {
    FieldError error = rejected("{\n  \"kind\": \"action\",\n  \"name\": \n}", false);
    assertThat(error.message()).startsWith("line 4, column 1");
  }

  @Test
  void duplicate_keys_are_rejected_in_yaml_and_json() {
    assertThat(rejected("name: a\nname: b\n", true).message())
        .contains("Duplicate field 'name'")
        .contains("line 2");
    assertThat(rejected("{\"name\":\"a\",\"name\":\"b\"}", false).message())
        .contains("Duplicate field 'name'");
  }

  @Test
  void top_level_must_be_an_object() {
    assertThat(rejected("- a\n- b\n", true).message())
        .contains("must be an object")
        .contains("list");
    assertThat(rejected("\"text\"", false).message()).contains("must be an object");
    assertThat(rejected("   ", true).message()).contains("empty");
    assertThat(rejected("# only a comment\n", true).message()).contains("empty");
  }

  @Test
  void several_yaml_documents_are_rejected() {
    assertThat(rejected("a: 1\n---\nb: 2\n", true).message()).contains("line 3");
  }

  @Test
  void trailing_json_is_rejected() {
    rejected("{\"a\":1} {\"b\":2}", false);
  }

  @Test
  void yes_and_on_stay_strings_in_yaml() {
    JsonNode node = parser.parse("a: yes\nb: on\nc: true\n", true);
    assertThat(node.get("a").isTextual()).isTrue();
    assertThat(node.get("b").textValue()).isEqualTo("on");
    assertThat(node.get("c").booleanValue()).isTrue();
  }

  @Test
  void oversized_body_is_rejected_before_parsing() {
    String huge = "a: \"" + "x".repeat(DefinitionParser.MAX_CHARS) + "\"\n";
    assertThat(rejected(huge, true).message()).contains("too large");
  }
}
