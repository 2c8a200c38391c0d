package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every form in which a secret's value may show up in a log or a body is masked. */
class SecretMaskerFormsTest {
  private static final String SECRET = "p@ss word/with+symbols?&=ok";
  private final SecretMasker masker = new SecretMasker(List.of(SECRET));

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void the_plain_value_is_masked() {
    assertThat(masker.mask("token=" + SECRET + ";")).isEqualTo("token=***;");
  }

  @Test
  void a_value_of_several_lines_is_masked_on_each_line_it_is_printed_on() {
    String pem = "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX\n-----END KEY-----";
    SecretMasker multi = new SecretMasker(List.of(pem));
    for (String line : pem.split("\n")) {
      assertThat(multi.mask("log: " + line)).isEqualTo("log: ***");
    }
    assertThat(multi.mask("whole: " + pem)).isEqualTo("whole: ***");
  }

  @Test
  void base64_forms_are_masked_standard_and_url_safe_padded_or_not() {
    String standard = b64(SECRET);
    String url = Base64.getUrlEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    assertThat(masker.mask("Authorization: Basic " + standard)).doesNotContain(standard);
    assertThat(masker.mask(url)).doesNotContain(url.replace("=", ""));
    assertThat(masker.mask(standard.replace("=", ""))).isEqualTo("***");
  }

  @Test
  void base64_of_a_longer_text_containing_the_value_at_any_alignment_is_masked() {
    for (String prefix : List.of("", "u:", "us:", "user:", "x")) {
      String encoded = b64(prefix + SECRET + "!");
      String masked = masker.mask(encoded);
      assertThat(masked).as(prefix).contains("***");
      // what remains visible is at most the prefix's and the suffix's few characters
      assertThat(masked.replace("***", "").length()).as(prefix).isLessThanOrEqualTo(12);
    }
  }

  @Test
  void url_encoded_forms_are_masked() {
    String plus = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
    assertThat(plus).contains("+").contains("%40");
    assertThat(masker.mask("?q=" + plus)).isEqualTo("?q=***");
    assertThat(masker.mask("?q=" + plus.replace("+", "%20"))).isEqualTo("?q=***");
    String lowerHex =
        java.util.regex.Pattern.compile("%[0-9A-F]{2}")
            .matcher(plus)
            .replaceAll(m -> m.group().toLowerCase());
    assertThat(lowerHex).isNotEqualTo(plus);
    assertThat(masker.mask("?q=" + lowerHex)).isEqualTo("?q=***");
  }

  @Test
  void the_json_escaped_form_is_masked() {
    SecretMasker quoted = new SecretMasker(List.of("say \"hi\"\\now"));
    assertThat(quoted.mask("{\"v\":\"say \\\"hi\\\"\\\\now\"}")).isEqualTo("{\"v\":\"***\"}");
  }
}
