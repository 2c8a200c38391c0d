package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The HTTP side of the client commands: bearer auth, JSON in and out, the project scope on every
 * request, and failures turned into {@link ApiException} (the server said no) or {@link
 * CliException} (the server could not be reached).
 */
public final class RunledgerClient {

  /** An answer with a 2xx or 3xx status. */
  public record Response(int status, HttpHeaders headers, String body) {
    public JsonNode json() {
      if (body == null || body.isBlank()) {
        return Json.MAPPER.createObjectNode();
      }
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new CliException(
            "the server answered " + status + " with a body that is not JSON: " + excerpt(body));
      }
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final String USER_AGENT = "runledger-cli/" + Cli.version();

  private final ClientConfig config;
  private final HttpClient http;

  public RunledgerClient(ClientConfig config) {
    this(
        config,
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build());
  }

  public RunledgerClient(ClientConfig config, HttpClient http) {
    this.config = config;
    this.http = http;
  }

  public ClientConfig config() {
    return config;
  }

  JsonNode getJson(String path, Query query) {
    return send("GET", path, query, null, null, Map.of()).json();
  }

  /** Every page of a list, as one page: {@code {items: [...], nextCursor: null}}. */
  JsonNode getAllPages(String path) {
    ObjectNode all = Json.MAPPER.createObjectNode();
    ArrayNode items = all.putArray("items");
    String cursor = null;
    do {
      JsonNode page = getJson(path, Query.of().add("limit", 500).add("cursor", cursor));
      page.path("items").forEach(items::add);
      cursor = Json.text(page, "nextCursor");
    } while (cursor != null && !cursor.isEmpty());
    all.putNull("nextCursor");
    return all;
  }

  String getText(String path, Query query) {
    return send("GET", path, query, null, null, Map.of("Accept", "text/plain, */*")).body();
  }

  Response postJson(String path, Query query, Object body, Map<String, String> headers) {
    return send("POST", path, query, Json.write(body), "application/json", headers);
  }

  Response put(String path, Query query, String body, String contentType) {
    return send("PUT", path, query, body, contentType, Map.of());
  }

  Response delete(String path, Query query) {
    return send("DELETE", path, query, null, null, Map.of());
  }

  /** Sends one request and reads the whole answer; a 4xx or 5xx status throws. */
  Response send(
      String method,
      String path,
      Query query,
      String body,
      String contentType,
      Map<String, String> headers) {
    HttpRequest request = request(method, path, query, body, contentType, headers, true);
    HttpResponse<String> response = execute(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw ApiException.fromResponse(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null),
          response.body());
    }
    return new Response(response.statusCode(), response.headers(), response.body());
  }

  /**
   * Sends a GET and hands each line of the answer to {@code lines} as it arrives (exports, logs and
   * server-sent events); returns when the server ends the answer.
   */
  void streamLines(String path, Query query, String accept, Consumer<String> lines) {
    HttpRequest request = request("GET", path, query, null, null, Map.of("Accept", accept), false);
    HttpResponse<Stream<String>> response = execute(request, HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> body = response.body()) {
      if (response.statusCode() >= 400) {
        String text = body.collect(Collectors.joining("\n"));
        throw ApiException.fromResponse(
            response.statusCode(),
            response.headers().firstValue("Content-Type").orElse(null),
            text);
      }
      body.forEach(lines);
    } catch (java.io.UncheckedIOException e) {
      throw new ConnectionException(
          "the connection to " + config.baseUrl() + " broke: " + describe(e.getCause()), e);
    }
  }

  private HttpRequest request(
      String method,
      String path,
      Query query,
      String body,
      String contentType,
      Map<String, String> headers,
      boolean timeout) {
    Query q = query == null ? Query.of() : query;
    if (config.project() != null && !q.has("project")) {
      q.add("project", config.project());
    }
    String encoded = q.encode();
    URI uri = URI.create(config.baseUrl() + path + (encoded.isEmpty() ? "" : "?" + encoded));
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .header("User-Agent", USER_AGENT)
            .header("Runledger-Source", "cli")
            .header("Accept", "application/json");
    if (timeout) {
      builder.timeout(REQUEST_TIMEOUT);
    }
    if (config.token() != null) {
      builder.header("Authorization", "Bearer " + config.token());
    }
    headers.forEach(builder::setHeader);
    if (body != null) {
      builder.header("Content-Type", contentType);
      builder.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return builder.build();
  }

  private <T> HttpResponse<T> execute(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (HttpConnectTimeoutException e) {
      throw new ConnectionException(
          "cannot connect to Runledger at "
              + config.baseUrl()
              + ": timed out (set "
              + ClientConfig.URL_VARIABLE
              + " or --url)",
          e);
    } catch (HttpTimeoutException e) {
      throw new ConnectionException(
          "Runledger at "
              + config.baseUrl()
              + " did not answer within "
              + REQUEST_TIMEOUT.toSeconds()
              + " s",
          e);
    } catch (ConnectException e) {
      throw new ConnectionException(
          "cannot connect to Runledger at "
              + config.baseUrl()
              + ": "
              + describe(e)
              + "; is the server running? (set "
              + ClientConfig.URL_VARIABLE
              + " or --url)",
          e);
    } catch (IOException e) {
      throw new ConnectionException(
          "request to Runledger at " + config.baseUrl() + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
  }

  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return "unknown host";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank()) {
        return message.toLowerCase(java.util.Locale.ROOT).contains("connection refused")
            ? "connection refused"
            : message;
      }
    }
    return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
  }

  private static String excerpt(String body) {
    String line = body.strip().lines().findFirst().orElse("");
    return line.length() > 120 ? line.substring(0, 120) + "..." : line;
  }
}
