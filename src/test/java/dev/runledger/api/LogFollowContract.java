package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runledger.app.ServerConfig;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET .../logs}: the text log shows control characters as escapes, and {@code follow=true}
 * streams are served without a request thread each, end with their attempt, notice a closed client
 * and are limited per principal; on each store.
 */
abstract class LogFollowContract {
  private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

  private TestServer server;
  private ApiClient admin;
  private final List<Socket> sockets = new ArrayList<>();

  abstract StoreKind store();

  private void start(UnaryOperator<ServerConfig> customize) {
    server = TestServer.start(store(), customize);
    admin = server.admin();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Triggers the action {@code talk} running {@code script}; returns the run's id. */
  private String trigger(String script) {
    String yaml =
        "kind: action\nname: talk\ncommand:\n  script: |\n"
            + script.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    ApiClient.Response put = admin.putYaml("/api/actions/talk", yaml);
    assertThat(put.status()).as(put.text()).isIn(200, 201);
    ApiClient.Response r = admin.post("/api/actions/talk/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  private static String logs(String runId) {
    return "/api/runs/" + runId + "/tasks/talk/logs";
  }

  private String token(String name, String role) {
    ApiClient.Response r = admin.post("/api/tokens", Map.of("name", name, "role", role));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("token").asText();
  }

  /** Opens a follow stream on a plain socket and returns its status line. */
  private String openStream(String token, String runId) throws IOException {
    URI base = URI.create(server.node().url());
    Socket socket = new Socket(base.getHost(), base.getPort());
    sockets.add(socket);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET "
                + logs(runId)
                + "?follow=true HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + token
                + "\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != -1 && c != '\n'; ) {
      line.write(c);
    }
    return line.toString(StandardCharsets.US_ASCII).trim();
  }

  private void abort(String runId) {
    admin.post("/api/runs/" + runId + "/abort", Map.of("reason", "test over"));
    Runs.awaitTerminal(admin, runId);
  }

  private static boolean answersQuickly(ApiClient client) {
    long start = System.nanoTime();
    ApiClient.Response health = client.get("/api/health");
    return health.status() == 200 && System.nanoTime() - start < Duration.ofSeconds(3).toNanos();
  }

  @Test
  void the_text_log_shows_control_characters_as_escapes_and_a_carriage_return_forges_no_line() {
    start(c -> c);
    String runId =
        trigger(
            "printf 'x\\r2001-01-01T00:00:00.000000Z stderr FORGED\\n'\n"
                + "printf 'bell \\a escape \\033[31mred\\n'");
    Runs.awaitTerminal(admin, runId);

    String text = admin.get(logs(runId)).text();

    assertThat(text.split("\n"))
        .hasSize(3)
        .allMatch(line -> line.matches(TIMESTAMP + " stdout .*"), "each a stdout line");
    assertThat(text)
        .contains(" stdout x\n")
        .contains(" stdout 2001-01-01T00:00:00.000000Z stderr FORGED\n")
        .contains(" stdout bell \\x07 escape \\x1b[31mred\n")
        .doesNotContain("\r")
        .doesNotContain("\u001b")
        .doesNotContain("\u0007");
  }

  @Test
  void a_follow_stream_sends_the_lines_and_ends_with_the_attempt() {
    start(c -> c);
    String runId = trigger("echo one\nsleep 1\necho two >&2");
    Runs.awaitTask(admin, runId, "talk", "running");

    ApiClient.Response stream = admin.get(logs(runId) + "?follow=true");

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
    assertThat(stream.text())
        .containsPattern(
            "event: line\ndata: \\{\"at\":\""
                + TIMESTAMP
                + "\",\"stream\":\"stdout\",\"line\":\"one\"}\n\n")
        .contains("\"stream\":\"stderr\",\"line\":\"two\"}")
        .endsWith("event: end\ndata: {\"status\":\"succeeded\",\"attempt\":1}\n\n");
  }

  @Test
  void a_follow_stream_of_an_ended_task_or_a_missing_attempt_ends_at_once() {
    start(c -> c);
    String runId = trigger("echo done");
    Runs.awaitTerminal(admin, runId);

    long start = System.nanoTime();
    ApiClient.Response ended = admin.get(logs(runId) + "?follow=true");
    ApiClient.Response missing = admin.get(logs(runId) + "?follow=true&attempt=4");

    assertThat(ended.text())
        .contains("\"line\":\"done\"")
        .endsWith("event: end\ndata: {\"status\":\"succeeded\",\"attempt\":1}\n\n");
    assertThat(missing.text())
        .isEqualTo("retry: 2000\n\nevent: end\ndata: {\"status\":\"succeeded\",\"attempt\":4}\n\n");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void more_follow_streams_than_request_threads_leave_the_api_responsive() throws Exception {
    start(c -> c.withLogStreamsPerPrincipal(0));
    String runId = trigger("echo started\nsleep 60");
    Runs.awaitTask(admin, runId, "talk", "running");
    int streams = server.node().api().requestThreads() + 30;

    for (int i = 0; i < streams; i++) {
      assertThat(openStream(TestServer.ADMIN_TOKEN, runId)).isEqualTo("HTTP/1.1 200 OK");
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.node().api().openLogStreams() == streams);
    assertThat(answersQuickly(admin)).isTrue();
    for (Socket s : sockets) {
      s.close();
    }
    assertThat(answersQuickly(admin)).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> server.node().api().openLogStreams() == 0);
    abort(runId);
  }

  @Test
  void a_principal_beyond_its_stream_limit_is_answered_429_and_a_closed_stream_frees_its_slot()
      throws Exception {
    start(c -> c.withLogStreamsPerPrincipal(2));
    String runId = trigger("echo started\nsleep 60");
    Runs.awaitTask(admin, runId, "talk", "running");
    String viewer = token("watcher", "viewer");

    assertThat(openStream(viewer, runId)).isEqualTo("HTTP/1.1 200 OK");
    assertThat(openStream(viewer, runId)).isEqualTo("HTTP/1.1 200 OK");
    ApiClient.Response third = server.client(viewer).get(logs(runId) + "?follow=true");

    assertThat(assertProblem(third, 429).path("detail").asText()).contains("at most 2 log streams");
    assertThat(openStream(TestServer.ADMIN_TOKEN, runId))
        .as("another principal has its own limit")
        .isEqualTo("HTTP/1.1 200 OK");

    sockets.get(0).close();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> server.node().api().openLogStreams() == 2);
    assertThat(openStream(viewer, runId)).isEqualTo("HTTP/1.1 200 OK");
    abort(runId);
  }
}
