package dev.runledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import java.util.List;

/** Assertions on RFC 9457 problem details answered by the API. */
final class ProblemAssertions {
  private ProblemAssertions() {}

  /** The response is a problem detail with this status; returns its body. */
  static JsonNode assertProblem(ApiClient.Response r, int status) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.header("Content-Type")).as(r.text()).startsWith("application/problem+json");
    JsonNode body = r.json();
    assertThat(body.path("type").isTextual()).as(r.text()).isTrue();
    assertThat(body.path("title").asText()).as(r.text()).isNotBlank();
    assertThat(body.path("status").asInt()).as(r.text()).isEqualTo(status);
    assertThat(body.path("detail").asText()).as(r.text()).isNotBlank();
    assertThat(r.text()).doesNotContain("\tat ", "Exception:");
    return body;
  }

  /** The fields named by the problem's {@code errors}. */
  static List<String> errorFields(JsonNode problem) {
    return problem.path("errors").findValuesAsText("field");
  }

  /** The problem's detail and error messages as one text. */
  static String messages(JsonNode problem) {
    StringBuilder b = new StringBuilder(problem.path("detail").asText());
    problem.path("errors").forEach(e -> b.append('\n').append(e.path("message").asText()));
    return b.toString();
  }
}
