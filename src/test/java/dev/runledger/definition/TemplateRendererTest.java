package dev.runledger.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Expressions EXPRESSIONS =
      new Expressions(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  private final TemplateRenderer renderer = new TemplateRenderer(EXPRESSIONS);

  private static Map<String, Object> variables() {
    Map<String, Object> inputs = new HashMap<>();
    inputs.put("name", "Ada");
    inputs.put("count", 3); // an Integer: converted to Long for CEL
    inputs.put("ratio", 0.5);
    inputs.put("tags", List.of("a", "b"));
    inputs.put("nothing", null);
    inputs.put("nested", Map.of("k", "v"));
    return Map.of(
        "inputs",
        inputs,
        "steps",
        JSON.createObjectNode().set("find", JSON.createObjectNode().put("total", 7)),
        "item",
        "acct-1");
  }

  private JsonNode render(String template) {
    return renderer.render(TextNode.valueOf(template), variables());
  }

  @Test
  void a_lone_expression_keeps_its_type() {
    assertThat(render("${{ inputs.tags }}").isArray()).isTrue();
    assertThat(render("${{ inputs.tags }}")).hasSize(2);
    JsonNode count = render("${{ inputs.count + 1 }}");
    assertThat(count.isIntegralNumber()).isTrue();
    assertThat(count.longValue()).isEqualTo(4);
    assertThat(render("${{ inputs.ratio }}").doubleValue()).isEqualTo(0.5);
    assertThat(render("${{ inputs.count > 2 }}").booleanValue()).isTrue();
    assertThat(render("${{ inputs.nothing }}").isNull()).isTrue();
    assertThat(render("${{ inputs.nested }}").get("k").textValue()).isEqualTo("v");
    assertThat(render("${{ steps.find.total }}").longValue()).isEqualTo(7);
    assertThat(render("${{ item }}").textValue()).isEqualTo("acct-1");
  }

  @Test
  void text_around_expressions_interpolates() {
    assertThat(
            render("Hello ${{ inputs.name }}, you have ${{ inputs.count }} (${{ inputs.ratio }})")
                .textValue())
        .isEqualTo("Hello Ada, you have 3 (0.5)");
    assertThat(
            render("tags=${{ inputs.tags }} map=${{ inputs.nested }} none=[${{ inputs.nothing }}]")
                .textValue())
        .isEqualTo("tags=[\"a\",\"b\"] map={\"k\":\"v\"} none=[]");
    assertThat(render("${{ 'a' }}${{ 'b' }}").textValue()).isEqualTo("ab");
  }

  @Test
  void objects_and_arrays_render_recursively_and_other_values_stay() throws Exception {
    JsonNode template =
        JSON.readTree(
            "{\"to\":\"${{ inputs.name }}\",\"list\":[\"${{ inputs.count }}\",2,true,null],"
                + "\"plain\":\"no expressions\"}");
    JsonNode rendered = renderer.render(template, variables());
    assertThat(rendered.toString())
        .isEqualTo("{\"to\":\"Ada\",\"list\":[3,2,true,null],\"plain\":\"no expressions\"}");
    assertThat(template.get("to").textValue())
        .as("template unchanged")
        .isEqualTo("${{ inputs.name }}");
  }

  @Test
  void braces_and_quotes_inside_an_expression_do_not_end_it() {
    assertThat(render("${{ {'a': {'b': '}}'}}.a.b }}").textValue()).isEqualTo("}}");
  }

  @Test
  void now_is_a_timestamp_from_the_clock() {
    assertThat(render("${{ now }}").textValue()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(render("${{ now - duration('1h') < now }}").booleanValue()).isTrue();
    assertThat(render("${{ duration('90s') }}").textValue()).isEqualTo("90s");
  }

  @Test
  void cel_values_convert_back_to_json_sensibly() {
    assertThat(render("${{ b'abc' }}").textValue()).isEqualTo("abc");
    assertThat(render("${{ 5u }}").longValue()).isEqualTo(5);
    assertThat(render("${{ {1: 'one', true: 'yes'} }}").toString())
        .isEqualTo("{\"1\":\"one\",\"true\":\"yes\"}");
    assertThat(render("${{ inputs.?missing }}").isNull()).isTrue();
    assertThat(render("${{ inputs.?name.orValue('x') }}").textValue()).isEqualTo("Ada");
    assertThat(render("${{ optional.of([1]) }}").toString()).isEqualTo("[1]");
    assertThat(render("${{ null }}").isNull()).isTrue();
    assertThat(render("${{ type(inputs.count) }}").textValue()).isEqualTo("int");
  }

  @Test
  void json_node_variables_and_plain_java_mix() throws Exception {
    JsonNode event = JSON.readTree("{\"data\":{\"severity\":\"high\",\"n\":2,\"x\":1.5}}");
    JsonNode out =
        renderer.render(
            TextNode.valueOf("${{ event.data.n * 2 + int(event.data.x) }}"),
            Map.of("event", event));
    assertThat(out.longValue()).isEqualTo(5);
  }

  @Test
  void unbound_variables_are_empty_so_has_works() {
    assertThat(renderer.render(TextNode.valueOf("${{ has(event.data) }}"), Map.of()).booleanValue())
        .isFalse();
  }

  @Test
  void a_missing_key_names_the_expression() {
    assertThatThrownBy(() -> render("${{ inputs.x }}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("in `${{ inputs.x }}`: no such key: x");
  }

  @Test
  void type_errors_and_syntax_errors_name_the_expression() {
    assertThatThrownBy(() -> render("n: ${{ inputs.name + 1 }}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("in `${{ inputs.name + 1 }}`: ");
    assertThatThrownBy(() -> render("${{ inputs.name + }}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageStartingWith("in `${{ inputs.name + }}` at column 14: ");
    assertThatThrownBy(() -> render("open ${{ inputs.name"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("no matching '}}'");
  }

  @Test
  void compile_check_reports_each_expression_with_its_position() {
    assertThat(renderer.compileCheck("ok ${{ inputs.a }} and ${{ inputs.b + }} and ${{ 1 +* 2 }}"))
        .hasSize(2)
        .allSatisfy(p -> assertThat(p).matches("in `\\$\\{\\{ .* }}` at column \\d+: .*"));
    assertThat(renderer.compileCheck("${{ inputs.b + }}").get(0))
        .startsWith("in `${{ inputs.b + }}` at column 11: ");
    assertThat(renderer.compileCheck("${{ nope }}"))
        .containsExactly("in `${{ nope }}` at column 1: undeclared reference to 'nope'");
    assertThat(renderer.compileCheck("${{ }}"))
        .containsExactly("in `${{  }}`: the expression is empty");
    assertThat(renderer.compileCheck("no expressions")).isEmpty();
    assertThat(
            renderer.compileCheck(
                "${{ inputs.x.size() > 0 && now > timestamp('2020-01-01T00:00:00Z') }}"))
        .isEmpty();
  }

  @Test
  void evaluation_is_bounded() {
    List<Long> hundred = java.util.stream.LongStream.range(0, 100).boxed().toList();
    Map<String, Object> vars = Map.of("inputs", Map.of("l", hundred));
    assertThatThrownBy(
            () ->
                renderer.render(
                    TextNode.valueOf(
                        "${{ inputs.l.all(x, inputs.l.all(y, inputs.l.all(z, true))) }}"),
                    vars))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("budget");
    String tooLong = "${{ " + "1 + ".repeat(1100) + "1 }}";
    assertThat(renderer.compileCheck(tooLong)).singleElement().asString().contains("too long");
  }

  @Test
  void a_string_grown_past_the_text_limit_stops_before_it_is_built_and_names_the_expression() {
    String chain = "'a'" + ".replace('a', 'aaaaaaaaaa')".repeat(7);
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThatThrownBy(() -> render("${{ " + chain + " }}"))
                .isInstanceOf(ExpressionLimitException.class)
                .hasMessageContaining("in `${{ 'a'.replace(")
                .hasMessageContaining("replace would be 10000000 characters long")
                .hasMessageContaining("limit of " + Expressions.MAX_TEXT));
    assertThat(render("${{ " + "'a'" + ".replace('a', 'aaaaaaaaaa')".repeat(5) + " }}").textValue())
        .hasSize(100_000);
  }

  @Test
  void a_list_past_the_element_limit_is_refused_without_building_it() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThatThrownBy(() -> render("${{ lists.range(2000000000) }}"))
                .isInstanceOf(ExpressionLimitException.class)
                .hasMessageContaining("lists.range(2000000000) would have 2000000000 elements")
                .hasMessageContaining("limit of " + Expressions.MAX_ELEMENTS));
    String wide = "x".repeat(1000);
    Map<String, Object> vars = Map.of("inputs", Map.of("s", wide, "l", List.of(List.of(1, 2))));
    assertThatThrownBy(
            () ->
                renderer.render(
                    TextNode.valueOf("${{ lists.range(5000).map(i, inputs.s).join(',') }}"), vars))
        .isInstanceOf(ExpressionLimitException.class)
        .hasMessageContaining("join would be");
    assertThatThrownBy(
            () ->
                renderer.render(
                    TextNode.valueOf(
                        "${{ lists.range(2000).map(i, lists.range(1000)).flatten() }}"),
                    vars))
        .isInstanceOf(ExpressionLimitException.class)
        .hasMessageContaining("flatten would have");
  }

  @Test
  void the_work_of_one_evaluation_is_bounded_by_its_cost() {
    List<Long> big = java.util.stream.LongStream.range(0, 100_000).boxed().toList();
    Map<String, Object> vars = Map.of("inputs", Map.of("big", big));
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(
                    () ->
                        renderer.render(
                            TextNode.valueOf(
                                "${{ lists.range(5000).map(i, inputs.big.size()).size() }}"),
                            vars))
                .isInstanceOf(ExpressionLimitException.class)
                .hasMessageContaining("costs more than " + Expressions.MAX_COST));
    // A comprehension's own accumulator is not counted whole each iteration.
    assertThat(render("${{ lists.range(10000).map(i, i * 2).size() }}").longValue())
        .isEqualTo(10_000);
  }

  @Test
  void rendered_text_past_the_text_limit_names_the_expression_that_crossed_it() {
    Map<String, Object> vars = Map.of("inputs", Map.of("s", "y".repeat(600_000)));
    assertThat(renderer.render(TextNode.valueOf("${{ inputs.s }}!"), vars).textValue())
        .hasSize(600_001);
    assertThatThrownBy(
            () ->
                renderer.render(
                    TextNode.valueOf("${{ inputs.s }} and ${{ inputs.s + 'z' }}"), vars))
        .isInstanceOf(ExpressionLimitException.class)
        .hasMessageContaining("in `${{ inputs.s + 'z' }}`: the rendered text would be");
  }

  @Test
  void the_bounded_functions_keep_the_librarys_results() {
    assertThat(render("${{ 'abc'.replace('', '-') }}").textValue()).isEqualTo("-a-b-c-");
    assertThat(render("${{ 'ab\uD83D\uDE00c'.replace('', '-') }}").textValue())
        .isEqualTo("-a-b-\uD83D\uDE00-c-");
    assertThat(render("${{ 'aaa'.replace('a', 'b', 2) }}").textValue()).isEqualTo("bba");
    assertThat(render("${{ 'aaa'.replace('a', 'b', 0) }}").textValue()).isEqualTo("aaa");
    assertThat(render("${{ 'aaa'.replace('a', 'b', -1) }}").textValue()).isEqualTo("bbb");
    assertThat(render("${{ 'a-b-c'.replace('-', '') }}").textValue()).isEqualTo("abc");
    assertThat(render("${{ ['a', 'b'].join('-') }}").textValue()).isEqualTo("a-b");
    assertThat(render("${{ ['a', 'b'].join() }}").textValue()).isEqualTo("ab");
    assertThat(render("${{ [].join('-') }}").textValue()).isEmpty();
    assertThat(render("${{ lists.range(3) }}").toString()).isEqualTo("[0,1,2]");
    assertThat(render("${{ lists.range(-2) }}").toString()).isEqualTo("[]");
    assertThat(render("${{ [1, [2, [3]]].flatten() }}").toString()).isEqualTo("[1,2,[3]]");
    assertThat(render("${{ [1, [2, [3]]].flatten(2) }}").toString()).isEqualTo("[1,2,3]");
    assertThatThrownBy(() -> render("${{ [[1]].flatten(-1) }}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("flatten");
  }

  @Test
  void conditions_must_be_boolean() {
    var bindings = EXPRESSIONS.bind(variables());
    assertThat(EXPRESSIONS.test("inputs.count == 3 && item.startsWith('acct')", bindings)).isTrue();
    assertThatThrownBy(() -> EXPRESSIONS.test("inputs.count", bindings))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("true or false");
    assertThat(EXPRESSIONS.check("inputs.a =="))
        .singleElement()
        .asString()
        .startsWith("at column 12: ");
  }

  @Test
  void compiled_programs_are_cached_per_expression() {
    Expressions expressions = new Expressions(Clock.systemUTC());
    TemplateRenderer fresh = new TemplateRenderer(expressions);
    for (int i = 0; i < 5; i++) {
      fresh.render(TextNode.valueOf("${{ 1 + 2 }} and ${{ 'x' }}"), Map.of());
    }
    assertThat(expressions.cachedCount()).isEqualTo(2);
  }
}
