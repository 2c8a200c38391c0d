package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private final DefinitionParser parser = new DefinitionParser();

  @Test
  void keys_are_sorted_at_every_level_without_whitespace() {
    JsonNode node =
        parser.parse("{\"b\": {\"z\": 1, \"a\": [ {\"y\":2,\"x\":1} ]}, \"a\": null}", false);
    assertThat(CanonicalJson.write(node))
        .isEqualTo("{\"a\":null,\"b\":{\"a\":[{\"x\":1,\"y\":2}],\"z\":1}}");
  }

  @Test
  void numbers_have_one_form() {
    JsonNode node =
        parser.parse(
            "{\"a\": 1.0, \"b\": 0.50, \"c\": 1e3, \"d\": -0.0, \"e\": 1.5e-7, \"f\": 12345678901234567890}",
            false);
    assertThat(CanonicalJson.write(node))
        .isEqualTo(
            "{\"a\":1,\"b\":0.5,\"c\":1000,\"d\":0,\"e\":1.5E-7,\"f\":12345678901234567890}");
    assertThat(CanonicalJson.number(new BigDecimal("1e400"))).isEqualTo("1E+400");
    assertThat(CanonicalJson.write(JsonNodeFactory.instance.numberNode(2.5d))).isEqualTo("2.5");
  }

  @Test
  void strings_are_escaped_one_way() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("s", "q\"b\\n\n\t\u0001é€😀\ud800");
    assertThat(CanonicalJson.write(node))
        .isEqualTo("{\"s\":\"q\\\"b\\\\n\\n\\t\\u0001é€😀\\ud800\"}");
  }

  @Test
  void yaml_and_json_with_other_order_and_layout_hash_the_same() {
    String yaml =
        "kind: action\nname: a\nretry:\n  backoff: 2s\n  maxAttempts: 4\nhttp: {url: 'https://x.test', method: POST}\n";
    String json =
        "{\"http\":{\"method\":\"POST\",\"url\":\"https://x.test\"},\"retry\":{\"maxAttempts\":4,\"backoff\":\"2s\"},"
            + "\"name\":\"a\",\"kind\":\"action\"}";
    assertThat(DefinitionHash.of(parser.parse(yaml, true)))
        .isEqualTo(DefinitionHash.of(parser.parse(json, false)))
        .matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void any_content_change_changes_the_hash() {
    String base = DefinitionHash.of(parser.parse("{\"a\":[1,2],\"b\":\"x\"}", false));
    for (String changed :
        List.of(
            "{\"a\":[2,1],\"b\":\"x\"}",
            "{\"a\":[1,2],\"b\":\"y\"}",
            "{\"a\":[1,2],\"b\":\"x\",\"c\":null}",
            "{\"a\":[1,2.5],\"b\":\"x\"}",
            "{\"a\":[1,\"2\"],\"b\":\"x\"}",
            "{\"a\":[1,2],\"B\":\"x\"}")) {
      assertThat(DefinitionHash.of(parser.parse(changed, false))).as(changed).isNotEqualTo(base);
    }
  }

  @Test
  void hash_form_is_recognized() {
    String hash = DefinitionHash.of(JsonNodeFactory.instance.objectNode());
    assertThat(DefinitionHash.isHash(hash)).isTrue();
    assertThat(DefinitionHash.isHash("sha256:ABC")).isFalse();
  }

  @Property(tries = 200)
  void canonical_text_and_hash_do_not_depend_on_key_order(
      @ForAll("trees") JsonNode tree, @ForAll long seed) throws Exception {
    JsonNode shuffled = shuffle(tree, new Random(seed));
    assertThat(CanonicalJson.write(shuffled)).isEqualTo(CanonicalJson.write(tree));
    assertThat(DefinitionHash.of(shuffled)).isEqualTo(DefinitionHash.of(tree));
    // and the canonical text reads back to the same canonical text
    JsonNode reread = parser.parse(CanonicalJson.write(tree), false);
    assertThat(CanonicalJson.write(reread)).isEqualTo(CanonicalJson.write(tree));
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    Arbitrary<String> keys =
        Arbitraries.strings().withCharRange('a', 'f').ofMinLength(1).ofMaxLength(3);
    Arbitrary<Object> leaves =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s),
            Arbitraries.longs().map(l -> (Object) l),
            Arbitraries.bigDecimals()
                .between(new BigDecimal("-1e9"), new BigDecimal("1e9"))
                .ofScale(3)
                .map(d -> (Object) d),
            Arbitraries.of(true, false).map(b -> (Object) b));
    Arbitrary<Map<String, Object>> inner = Arbitraries.maps(keys, leaves).ofMaxSize(5);
    return Arbitraries.maps(
            keys,
            Arbitraries.oneOf(
                leaves, inner.map(m -> (Object) m), inner.list().ofMaxSize(3).map(l -> (Object) l)))
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(m -> (JsonNode) new ObjectMapper().valueToTree(m));
  }

  private static JsonNode shuffle(JsonNode node, Random random) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.shuffle(names, random);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        out.set(name, shuffle(node.get(name), random));
      }
      return out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> out.add(shuffle(item, random)));
      return out;
    }
    return node;
  }
}
