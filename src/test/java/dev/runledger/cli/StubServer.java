package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server standing in for Runledger: records every request and answers with canned
 * responses per method and path (a queue of them, the last one repeating).
 */
final class StubServer implements AutoCloseable {

  /** A request as the server saw it. */
  record Request(
      String method, String path, String rawQuery, Map<String, List<String>> headers, String body) {

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    /** Decoded query parameters, each with all its values in order. */
    Map<String, List<String>> query() {
      Map<String, List<String>> params = new LinkedHashMap<>();
      if (rawQuery != null && !rawQuery.isEmpty()) {
        for (String pair : rawQuery.split("&")) {
          int eq = pair.indexOf('=');
          String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
          String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
      }
      return params;
    }

    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("request body is not JSON: " + body, e);
      }
    }
  }

  /** A canned answer. */
  record Answer(int status, String contentType, String body, Map<String, String> headers) {
    static Answer json(int status, String body) {
      return new Answer(status, "application/json", body, Map.of());
    }

    static Answer problem(int status, String body) {
      return new Answer(status, "application/problem+json", body, Map.of());
    }

    static Answer text(String contentType, String body) {
      return new Answer(200, contentType, body, Map.of());
    }

    Answer withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, contentType, body, h);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

  StubServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code method path} with these responses in turn, the last one from then on. */
  StubServer on(String method, String path, Answer... responses) {
    answers.put(method + " " + path, new ArrayDeque<>(List.of(responses)));
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requests(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  Request only(String method, String path) {
    List<Request> matching = requests(method, path);
    if (matching.size() != 1) {
      throw new AssertionError(
          "expected one " + method + " " + path + " but got " + matching.size() + ": " + requests);
    }
    return matching.get(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
    String path = exchange.getRequestURI().getPath();
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            path,
            exchange.getRequestURI().getRawQuery(),
            headers,
            body));
    Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + path);
    Answer answer;
    if (queue == null) {
      answer =
          Answer.problem(
              404,
              "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                  + "\"detail\":\"no stub for "
                  + exchange.getRequestMethod()
                  + " "
                  + path
                  + "\"}");
    } else {
      synchronized (queue) {
        answer = queue.size() > 1 ? queue.poll() : queue.peek();
      }
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
