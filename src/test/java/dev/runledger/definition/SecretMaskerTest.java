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

  /**
   * Masks text read in pieces the way a log reader does: the settled start of each, then the rest.
   */
  private static String maskInPieces(SecretMasker masker, String text, int piece) {
    StringBuilder out = new StringBuilder();
    StringBuilder held = new StringBuilder();
    for (int i = 0; i < text.length(); i += piece) {
      held.append(text, i, Math.min(text.length(), i + piece));
      held.delete(0, masker.maskLeading(held.toString(), out));
    }
    return out.append(masker.mask(held.toString())).toString();
  }

  @Test
  void text_masked_in_pieces_equals_the_whole_text_masked_wherever_the_pieces_split() {
    SecretMasker masker = new SecretMasker(List.of("token", "token-123", "hunter2-long-secret"));
    String text =
        "a token-123 and token, xtoken-12 hunter2-long-secrethunter2-long-secret token-123! token";
    for (int piece = 1; piece <= text.length(); piece++) {
      assertThat(maskInPieces(masker, text, piece))
          .as("pieces of %d", piece)
          .isEqualTo(masker.mask(text));
    }
    assertThat(masker.mask(text)).doesNotContain("token").doesNotContain("hunter2");
  }

  @Test
  void a_settled_start_never_ends_inside_a_secret_that_may_go_on() {
    SecretMasker masker = new SecretMasker(List.of("s3cr3t-value"));
    StringBuilder out = new StringBuilder();

    int consumed = masker.maskLeading("abc s3cr3t-va", out);

    assertThat(consumed).isLessThanOrEqualTo("abc ".length());
    assertThat(out.toString()).isEqualTo("abc ".substring(0, consumed));
    assertThat(SecretMasker.NONE.maskLeading("all of it", out)).isEqualTo("all of it".length());
  }
}
