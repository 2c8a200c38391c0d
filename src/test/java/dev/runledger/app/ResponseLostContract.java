package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Databases;
import dev.runledger.testing.Runs;
import dev.runledger.testing.ServerProcess;
import dev.runledger.testing.StoreKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "The response was lost": the far side performs the effect, the server dies before the outcome is
 * stored, and the retry carries the same Idempotency-Key, so the effect happens once and the task
 * ends idempotent-replay.
 */
abstract class ResponseLostContract {
  private Path dataDir;
  private String db;
  private ServerProcess server;
  private HttpServer stub;
  private final List<String> keys = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> effects = new ConcurrentHashMap<>();
  private final CountDownLatch received = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  abstract StoreKind store();

  @BeforeEach
  void prepare() throws IOException {
    dataDir = Files.createTempDirectory("runledger-lost");
    db = store() == StoreKind.POSTGRESQL ? Databases.freshPostgres() : null;
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/payments", this::handle);
    // A thread per request: the first one is held while the retry is answered.
    stub.setExecutor(Executors.newCachedThreadPool());
    stub.start();
  }

  @AfterEach
  void cleanUp() {
    release.countDown();
    if (server != null) {
      server.close();
    }
    stub.stop(0);
    if (db != null) {
      Databases.drop(db);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    keys.add(key);
    if (effects.putIfAbsent(key, true) != null) {
      exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
      send(exchange, 201, "{\"id\": \"PAY-1\"}");
      return;
    }
    // The effect is done; the answer never reaches the server that asked.
    received.countDown();
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    send(exchange, 201, "{\"id\": \"PAY-1\"}");
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      // the caller is gone
    }
    exchange.close();
  }

  @Test
  void a_retry_after_a_lost_response_sends_the_same_key_and_ends_idempotent_replay()
      throws Exception {
    server = ServerProcess.start(dataDir, db, "--allow-http-to", "127.0.0.1/32");
    ApiClient api = server.admin();
    String url = "http://127.0.0.1:" + stub.getAddress().getPort() + "/payments";
    ApiClient.Response defined =
        api.putYaml(
            "/api/actions/pay",
            """
            kind: action
            name: pay
            http:
              method: POST
              url: "%s"
              body: {amount: 10}
            result: "${{ outputs.id }}"
            timeout: 2m
            """
                .formatted(url));
    assertThat(defined.status()).as(defined.text()).isEqualTo(201);
    String runId = api.post("/api/actions/pay/trigger", Map.of()).json().get("id").asText();
    assertThat(received.await(30, TimeUnit.SECONDS)).as("the stub got the request").isTrue();

    server.killHard();
    server = ServerProcess.start(dataDir, db, "--allow-http-to", "127.0.0.1/32");
    ApiClient after = server.admin();
    JsonNode run = Runs.awaitTerminal(after, runId, Duration.ofSeconds(60));
    assertThat(run.get("status").asText()).isEqualTo("completed");
    JsonNode task = after.get("/api/runs/" + runId + "/tasks/pay").json();
    assertThat(task.get("status").asText()).isEqualTo("idempotent-replay");
    assertThat(task.get("attempts")).hasSize(2);
    assertThat(task.get("attempts").get(0).get("error").asText()).contains("worker lost");
    assertThat(task.get("result").get("ref").asText()).isEqualTo("PAY-1");
    // The outside system replayed it: no task of Runledger's is the original.
    assertThat(task.get("replayOf").isNull()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> keys.size() == 2);
    assertThat(keys).containsExactly(runId + "/pay", runId + "/pay");
    assertThat(effects).hasSize(1);
  }
}
