package dev.runledger.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runledger.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in messaging service for the KYC scenario: creates evidence requests, fails the first
 * request for some accounts with 503, always refuses some with 400, and answers a repeated
 * Idempotency-Key with the original response and {@code Idempotent-Replayed: true}.
 */
final class MessagingStub implements AutoCloseable {
  /** A request it received. */
  record Received(String account, String idempotencyKey) {}

  private final HttpServer server;
  private final Set<String> failFirst;
  private final Set<String> refuse;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final Map<String, String> byKey = new ConcurrentHashMap<>();

  MessagingStub(Set<String> failFirst, Set<String> refuse) {
    this.failFirst = failFirst;
    this.refuse = refuse;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/requests", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/requests";
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  long requestsFor(String account) {
    return received.stream().filter(r -> r.account().equals(account)).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    JsonNode body =
        Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String account = body.path("account").asText();
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    received.add(new Received(account, key));
    int n = attempts.computeIfAbsent(account, a -> new AtomicInteger()).incrementAndGet();
    if (key != null && byKey.containsKey(key)) {
      exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
      send(exchange, 201, byKey.get(key));
      return;
    }
    if (refuse.contains(account)) {
      send(exchange, 400, "{\"error\": \"account is closed\"}");
      return;
    }
    if (failFirst.contains(account) && n == 1) {
      send(exchange, 503, "{\"error\": \"try later\"}");
      return;
    }
    String response = "{\"id\": \"EVR-" + account + "\"}";
    if (key != null) {
      byKey.put(key, response);
    }
    send(exchange, 201, response);
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
