package dev.runledger.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.AuditEvent;
import dev.runledger.model.Json;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The canonical form is part of every stored hash: the streamed writer must produce, byte for byte,
 * what the first version (a tree serialized with sorted keys) produced, or chains sealed before
 * would no longer verify.
 */
class AuditHasherCanonicalTest {
  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

  /** The first version of {@code AuditHasher.canonical}, kept here as the reference. */
  private static String reference(long seq, AuditEvent e) throws Exception {
    ObjectNode node = Json.object();
    node.put("seq", seq);
    node.put("id", e.id());
    node.put("at", DateTimeFormatter.ISO_INSTANT.format(e.at()));
    node.put("project", e.project());
    node.put("actor", e.actor());
    node.put("type", e.type());
    node.put("runId", e.runId());
    node.put("taskName", e.taskName());
    node.put("target", e.target());
    node.set("details", e.details());
    return SORTED.writeValueAsString(node);
  }

  @Property(tries = 500)
  void the_streamed_canonical_form_is_the_tree_form(
      @ForAll("events") AuditEvent event, @ForAll long seq) throws Exception {
    assertThat(AuditHasher.canonical(seq, event)).isEqualTo(reference(seq, event));
  }

  @Provide
  Arbitrary<AuditEvent> events() {
    Arbitrary<String> text =
        Arbitraries.strings().withCharRange('\u0000', '\u2fff').ofMaxLength(12).injectNull(0.2);
    Arbitrary<Instant> at =
        Arbitraries.longs()
            .between(0, 4_102_444_800_000_000L)
            .map(us -> Instant.EPOCH.plusNanos(us * 1000));
    return Combinators.combine(text, at, text, text, text, text, details())
        .as(
            (id, when, project, actor, runId, taskName, details) ->
                new AuditEvent(
                    id == null ? "evt" : id,
                    null,
                    when,
                    project,
                    actor == null ? "engine" : actor,
                    "task.status-changed",
                    runId,
                    taskName,
                    "target",
                    details,
                    null,
                    null));
  }

  private Arbitrary<JsonNode> details() {
    Arbitrary<String> keys = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6);
    Arbitrary<Object> leaves =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(8).map(v -> (Object) v),
            Arbitraries.integers().map(v -> (Object) v),
            Arbitraries.longs().map(v -> (Object) v),
            Arbitraries.doubles().map(v -> (Object) v),
            Arbitraries.of(true, false).map(v -> (Object) v),
            Arbitraries.just(null));
    Arbitrary<JsonNode> flat =
        Arbitraries.maps(keys, leaves).ofMaxSize(5).map(m -> Json.MAPPER.valueToTree(m));
    Arbitrary<JsonNode> nested =
        Combinators.combine(keys, flat, flat)
            .as(
                (k, a, b) -> {
                  ObjectNode o = Json.object();
                  o.set(k, a);
                  o.set(k + "x", Json.MAPPER.createArrayNode().add(b).add(a));
                  return (JsonNode) o;
                });
    return Arbitraries.oneOf(flat, nested, Arbitraries.just(null));
  }
}
