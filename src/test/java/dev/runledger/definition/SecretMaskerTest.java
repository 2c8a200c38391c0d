package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
  @Test
  void every_occurrence_is_masked_longest_first() {
    SecretMasker masker = new SecretMasker(List.of("token", "token-123"));
    assertThat(masker.mask("a token-123 and token, token-123!")).isEqualTo("a *** and ***, ***!");
  }

  @Test
  void short_and_blank_values_are_not_masked() {
    SecretMasker masker = new SecretMasker(java.util.Arrays.asList("ab", "   ", null, "abc"));
    assertThat(masker.mask("ab abc")).isEqualTo("ab ***");
  }

  @Test
  void text_without_secrets_is_returned_as_is() {
    String text = "nothing here";
    assertThat(new SecretMasker(List.of("secret")).mask(text)).isSameAs(text);
    assertThat(SecretMasker.NONE.mask(text)).isSameAs(text);
  }

  @Test
  void trees_are_masked_in_values_and_keys_including_json_escaped_forms() throws Exception {
    SecretMasker masker = new SecretMasker(List.of("s3cr\"et", "hunter2"));
    JsonNode tree =
        new ObjectMapper()
            .readTree(
                "{\"a\":\"Bearer hunter2\",\"hunter2\":[\"x\",\"s3cr\\\"et\",1],"
                    + "\"raw\":\"{\\\"p\\\":\\\"s3cr\\\\\\\"et\\\"}\"}");
    JsonNode masked = masker.mask(tree);
    assertThat(masked.toString())
        .isEqualTo(
            "{\"a\":\"Bearer ***\",\"***\":[\"x\",\"***\",1],\"raw\":\"{\\\"p\\\":\\\"***\\\"}\"}");
    assertThat(tree.get("a").textValue()).as("original unchanged").isEqualTo("Bearer hunter2");
  }
}
