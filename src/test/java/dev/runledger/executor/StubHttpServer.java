package dev.runledger.executor;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A local HTTP server for http action tests: canned responses by path, requests recorded. */
final class StubHttpServer implements AutoCloseable {
  record Received(String method, String path, Headers headers, String body) {}

  record Response(int status, Map<String, String> headers, String body, long delayMillis) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, Response> responses = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  StubHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** http://127.0.0.1:port + path */
  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  StubHttpServer on(String path, int status, Map<String, String> headers, String body) {
    responses.put(path, new Response(status, headers, body, 0));
    return this;
  }

  StubHttpServer onSlow(String path, long delayMillis) {
    responses.put(path, new Response(200, Map.of(), "{}", delayMillis));
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestHeaders(),
            body));
    Response response =
        responses.getOrDefault(
            exchange.getRequestURI().getPath(), new Response(404, Map.of(), "no such path", 0));
    if (response.delayMillis() > 0) {
      try {
        Thread.sleep(response.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    response.headers().forEach(exchange.getResponseHeaders()::add);
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
