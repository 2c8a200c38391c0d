package dev.runledger.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runledger.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server for http actions that records every request it receives and answers with JSON
 * echoing it: the Authorization and X-Custom headers, path, query and body; {@code /fail} answers
 * 500.
 */
final class RecordingStub implements AutoCloseable {
  /** A request the stub received. */
  record Received(
      String method, String path, String query, String authorization, String custom, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  RecordingStub() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Received r =
        new Received(
            exchange.getRequestMethod(),
            path,
            exchange.getRequestURI().getQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("X-Custom"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    received.add(r);
    ObjectNode body =
        Json.object()
            .put("ok", true)
            .put("auth", r.authorization())
            .put("custom", r.custom())
            .put("path", path)
            .put("query", r.query())
            .put("body", r.body());
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(path.equals("/fail") ? 500 : 200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
