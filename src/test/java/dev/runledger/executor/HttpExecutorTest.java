package dev.runledger.executor;

import static dev.runledger.executor.TestAttemptContext.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.FailureKind;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpExecutorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> JSON_TYPE = Map.of("Content-Type", "application/json");

  private final HttpExecutor executor =
      new HttpExecutor(OutboundAddressPolicy.parse("127.0.0.1/32"));
  private StubHttpServer server;

  @TempDir Path workDir;

  @BeforeEach
  void start() throws Exception {
    server = new StubHttpServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ObjectNode spec(String method, String path) {
    ObjectNode spec = JSON.createObjectNode().put("url", server.url(path));
    if (method != null) {
      spec.put("method", method);
    }
    return spec;
  }

  private AttemptResult execute(TestAttemptContext.Builder context) throws InterruptedException {
    return executor.execute(context.build());
  }

  @Test
  void a_2xx_json_object_response_becomes_the_outputs() throws Exception {
    server.on("/requests", 201, JSON_TYPE, "{\"id\": \"req-7\", \"queued\": true}");

    AttemptResult result = execute(anAttempt(workDir).spec(spec("POST", "/requests")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class,
            s -> {
              assertThat(s.outputs())
                  .isEqualTo(JSON.createObjectNode().put("id", "req-7").put("queued", true));
              assertThat(s.httpStatus()).isEqualTo(201);
              assertThat(s.replayed()).isFalse();
            });
  }

  @Test
  void a_non_object_response_gives_empty_outputs() throws Exception {
    server.on("/list", 200, JSON_TYPE, "[1, 2]");

    AttemptResult result = execute(anAttempt(workDir).spec(spec(null, "/list")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class, s -> assertThat(s.outputs()).isEmpty());
    assertThat(server.received)
        .singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("GET"));
  }

  @Test
  void outputs_templates_read_the_response() throws Exception {
    server.on(
        "/requests",
        200,
        Map.of("Content-Type", "application/json", "X-Request-Id", "abc"),
        "{\"id\": \"req-7\", \"links\": {\"self\": \"https://x.example/req-7\"}}");
    ObjectNode spec = spec("POST", "/requests");
    spec.putObject("outputs")
        .put("requestId", "${{ response.body.id }}")
        .put("link", "${{ response.body.links.self }}")
        .put("status", "${{ response.status }}")
        .put("traceId", "${{ response.headers.x-request-id }}");

    AttemptResult result = execute(anAttempt(workDir).spec(spec));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class,
            s ->
                assertThat(s.outputs())
                    .isEqualTo(
                        JSON.createObjectNode()
                            .put("requestId", "req-7")
                            .put("link", "https://x.example/req-7")
                            .put("status", 200)
                            .put("traceId", "abc")));
  }

  @Test
  void url_headers_and_json_body_are_rendered_and_sent() throws Exception {
    server.on("/requests", 200, JSON_TYPE, "{}");
    ObjectNode spec = JSON.createObjectNode();
    spec.put("method", "POST").put("url", server.url("/${{ inputs.path }}"));
    spec.putObject("headers").put("Authorization", "Bearer ${{ secrets.TOKEN }}");
    spec.putObject("body")
        .put("to", "${{ inputs.manager }}")
        .put("dueInDays", "${{ inputs.days }}");

    execute(
        anAttempt(workDir)
            .spec(spec)
            .templates(
                new TestTemplates(
                    Map.of("path", "requests", "manager", "ann", "days", 14),
                    Map.of("TOKEN", "t0ken"))));

    assertThat(server.received)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("/requests");
              assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer t0ken");
              assertThat(r.headers().getFirst("Content-Type")).isEqualTo("application/json");
              assertThat(JSON.readTree(r.body()))
                  .isEqualTo(JSON.createObjectNode().put("to", "ann").put("dueInDays", 14));
            });
  }

  @Test
  void a_string_body_is_sent_as_text() throws Exception {
    server.on("/notes", 200, Map.of(), "");
    ObjectNode spec = spec("PUT", "/notes").put("body", "hello ${{ inputs.who }}");

    execute(anAttempt(workDir).spec(spec).inputs(Map.of("who", "ann")));

    assertThat(server.received)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.body()).isEqualTo("hello ann");
              assertThat(r.headers().getFirst("Content-Type")).startsWith("text/plain");
            });
  }

  @Test
  void the_idempotency_key_header_is_always_sent() throws Exception {
    server.on("/requests", 200, JSON_TYPE, "{}");
    ObjectNode spec = spec("POST", "/requests");
    spec.putObject("headers").put("Idempotency-Key", "chosen-by-the-author");

    execute(anAttempt(workDir).spec(spec).idempotencyKey("kyc:42:2030-W01"));

    assertThat(server.received)
        .singleElement()
        .satisfies(
            r -> assertThat(r.headers().get("Idempotency-Key")).containsExactly("kyc:42:2030-W01"));
  }

  @Test
  void an_idempotent_replayed_response_is_a_replayed_success() throws Exception {
    server.on(
        "/requests",
        200,
        Map.of("Content-Type", "application/json", "Idempotent-Replayed", "true"),
        "{\"id\": \"req-7\"}");

    AttemptResult result = execute(anAttempt(workDir).spec(spec("POST", "/requests")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class,
            s -> {
              assertThat(s.replayed()).isTrue();
              assertThat(s.outputs().get("id").asText()).isEqualTo("req-7");
            });
  }

  @Test
  void a_503_with_retry_after_seconds_is_transient_with_retry_after() throws Exception {
    server.on("/requests", 503, Map.of("Retry-After", "30"), "down for maintenance");

    AttemptResult result = execute(anAttempt(workDir).spec(spec("POST", "/requests")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(30));
              assertThat(f.httpStatus()).isEqualTo(503);
              assertThat(f.failure().cause())
                  .isEqualTo(
                      "HTTP 503 from 127.0.0.1:"
                          + server.port()
                          + ": service unavailable: down for maintenance");
              assertThat(f.failure().hint())
                  .isEqualTo("the service was unavailable; retry after 30 s");
            });
  }

  @Test
  void a_429_with_an_http_date_retry_after_is_rate_limited() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.parse("2030-01-01T00:02:00Z").atOffset(ZoneOffset.UTC));
    server.on("/requests", 429, Map.of("Retry-After", date), "");

    AttemptResult result = execute(anAttempt(workDir).spec(spec("POST", "/requests")).clock(clock));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(f.retryAfter()).isEqualTo(Duration.ofMinutes(2));
              assertThat(f.failure().hint()).isEqualTo("rate limited: retry after 120 s");
            });
  }

  @Test
  void a_400_is_deterministic_with_a_hint() throws Exception {
    server.on("/requests", 400, JSON_TYPE, "{\"error\": \"to is required\"}");

    AttemptResult result = execute(anAttempt(workDir).spec(spec("POST", "/requests")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.httpStatus()).isEqualTo(400);
              assertThat(f.failure().cause()).contains("HTTP 400").contains("to is required");
              assertThat(f.failure().hint()).contains("check the parameters");
            });
  }

  @Test
  void a_401_hints_at_the_credentials_and_masks_secrets() throws Exception {
    server.on("/requests", 401, Map.of(), "bad token t0ken");
    ObjectNode spec = spec("POST", "/requests");
    spec.putObject("headers").put("Authorization", "Bearer ${{ secrets.TOKEN }}");

    AttemptResult result =
        execute(
            anAttempt(workDir)
                .spec(spec)
                .templates(new TestTemplates(Map.of(), Map.of("TOKEN", "t0ken"))));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().cause()).endsWith("unauthorized: bad token ***");
              assertThat(f.failure().hint()).contains("credentials");
            });
  }

  @Test
  void the_request_and_response_are_kept_as_evidence_with_secrets_and_credentials_masked()
      throws Exception {
    String secret = "t0ken-value";
    // the secret straddles the cut of the body excerpt: masked whole, not left half shown
    String head = "{\"pad\": \"";
    String filler = "x".repeat(HttpEvidence.BODY_EXCERPT_BYTES - head.length() - 16);
    String body =
        head + filler + "\", \"key\": \"" + secret + "\", \"more\": \"" + "y".repeat(100) + "\"}";
    Map<String, String> headers = new java.util.LinkedHashMap<>(JSON_TYPE);
    headers.put("X-Request-Id", "req-42");
    headers.put("Set-Cookie", "session=abc");
    headers.put("X-Internal-Debug", "not kept");
    server.on("/requests/" + secret, 201, headers, body);
    ObjectNode spec = spec("POST", "/requests/${{ secrets.TOKEN }}?q=${{ secrets.TOKEN }}");
    spec.putObject("headers")
        .put("Authorization", "Bearer ${{ secrets.TOKEN }}")
        .put("X-Api-Key", "plain-key")
        .put("X-Trace", "trace ${{ secrets.TOKEN }}");
    spec.putObject("body").put("value", "${{ secrets.TOKEN }}");
    TestAttemptContext context =
        anAttempt(workDir)
            .spec(spec)
            .templates(new TestTemplates(Map.of(), Map.of("TOKEN", secret)))
            .build();

    AttemptResult result = executor.execute(context);

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    assertThat(server.received.get(0).headers().getFirst("Authorization"))
        .isEqualTo("Bearer " + secret);
    com.fasterxml.jackson.databind.JsonNode http = context.evidence().get("http");
    assertThat(http.toString()).doesNotContain(secret).doesNotContain("plain-key");
    assertThat(http.get("method").asText()).isEqualTo("POST");
    assertThat(http.get("url").asText()).isEqualTo(server.url("/requests/***?q=***"));
    JsonAssert sent = new JsonAssert(http.get("requestHeaders"));
    sent.has("Authorization", "***").has("X-Api-Key", "***").has("X-Trace", "trace ***");
    sent.has("Content-Type", "application/json").has("Idempotency-Key", "run-1/step");
    assertThat(http.get("requestBody").get("excerpt").asText()).isEqualTo("{\"value\":\"***\"}");
    assertThat(http.get("status").asInt()).isEqualTo(201);
    JsonAssert received = new JsonAssert(http.get("responseHeaders"));
    received.has("content-type", "application/json").has("x-request-id", "req-42");
    assertThat(http.get("responseHeaders").has("set-cookie")).isFalse();
    assertThat(http.get("responseHeaders").has("x-internal-debug")).isFalse();
    com.fasterxml.jackson.databind.JsonNode excerpt = http.get("responseBody");
    assertThat(excerpt.get("bytes").asInt()).isEqualTo(body.length());
    assertThat(excerpt.get("truncated").asBoolean()).isTrue();
    assertThat(excerpt.get("excerpt").asText())
        .hasSize(HttpEvidence.BODY_EXCERPT_BYTES)
        .startsWith(head + "xxx")
        .endsWith("x\", \"key\": \"***\",")
        .doesNotContain("t0ken");
    assertThat(http.get("startedAt").asText()).matches("\\d{4}-.*T.*\\.\\d{6}Z");
    assertThat(http.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void a_request_that_gets_no_response_is_kept_as_evidence_with_its_error() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    TestAttemptContext context =
        anAttempt(workDir)
            .spec(
                JSON.createObjectNode()
                    .put("url", "http://user:pw@127.0.0.1:" + closedPort + "/x")
                    .put("method", "GET"))
            .build();

    assertThat(executor.execute(context)).isInstanceOf(AttemptResult.Failed.class);

    com.fasterxml.jackson.databind.JsonNode http = context.evidence().get("http");
    assertThat(http.get("url").asText()).isEqualTo("http://***@127.0.0.1:" + closedPort + "/x");
    assertThat(http.get("error").asText()).contains("connection refused");
    assertThat(http.has("status")).isFalse();
  }

  /** Header maps in evidence, field by field. */
  private record JsonAssert(com.fasterxml.jackson.databind.JsonNode node) {
    JsonAssert has(String name, String value) {
      assertThat(node.path(name).asText()).as(name + " in " + node).isEqualTo(value);
      return this;
    }
  }

  @Test
  void a_status_outside_success_codes_fails() throws Exception {
    server.on("/requests", 202, Map.of(), "");
    ObjectNode spec = spec("POST", "/requests");
    spec.putArray("successCodes").add(200).add(201);

    AttemptResult result = execute(anAttempt(workDir).spec(spec));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC));
  }

  @Test
  void a_redirect_is_not_followed_by_default() throws Exception {
    server.on("/old", 302, Map.of("Location", "/new"), "");
    server.on("/new", 200, JSON_TYPE, "{}");

    AttemptResult result = execute(anAttempt(workDir).spec(spec(null, "/old")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause()).endsWith("redirect to /new not followed");
            });
    assertThat(server.received).extracting(StubHttpServer.Received::path).containsExactly("/old");
  }

  @Test
  void a_redirect_is_followed_when_asked() throws Exception {
    server.on("/old", 302, Map.of("Location", "/new"), "");
    server.on("/new", 200, JSON_TYPE, "{\"moved\": true}");

    AttemptResult result =
        execute(anAttempt(workDir).spec(spec(null, "/old").put("followRedirects", true)));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class,
            s -> assertThat(s.outputs().get("moved").asBoolean()).isTrue());
  }

  @Test
  void a_followed_redirect_to_an_internal_address_is_refused() throws Exception {
    server.on("/old", 302, Map.of("Location", "http://169.254.169.254/latest/meta-data/"), "");

    AttemptResult result =
        execute(anAttempt(workDir).spec(spec(null, "/old").put("followRedirects", true)));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> assertThat(f.failure().cause()).contains("refused").contains("169.254.169.254"));
  }

  @Test
  void a_slow_response_times_out_transiently() throws Exception {
    server.onSlow("/slow", 10_000);
    long start = System.nanoTime();

    AttemptResult result =
        execute(anAttempt(workDir).spec(spec(null, "/slow")).timeout(Duration.ofSeconds(1)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(f.failure().cause()).isEqualTo("timed out after 1s");
              assertThat(f.failure().hint()).isEqualTo("raise the timeout");
            });
  }

  @Test
  void a_refused_connection_is_transient() throws Exception {
    int port;
    try (ServerSocket socket =
        new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    ObjectNode spec = JSON.createObjectNode().put("url", "http://127.0.0.1:" + port + "/");

    AttemptResult result = execute(anAttempt(workDir).spec(spec));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(f.failure().cause()).contains("could not connect to 127.0.0.1:" + port);
            });
  }

  @Test
  void abort_stops_waiting_for_the_response() throws Exception {
    server.onSlow("/slow", 10_000);
    AbortSignal abort = new AbortSignal();
    CompletableFuture<AttemptResult> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return execute(anAttempt(workDir).spec(spec(null, "/slow")).abortSignal(abort));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(5, TimeUnit.SECONDS).until(() -> !server.received.isEmpty());

    abort.abort("aborted by alice: wrong input");

    assertThat(result.get(3, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> assertThat(f.failure().cause()).isEqualTo("aborted by alice: wrong input"));
  }
}
