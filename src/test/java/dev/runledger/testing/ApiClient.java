package dev.runledger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for tests of the API. */
public final class ApiClient {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  public ApiClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A response: status, headers and body (parsed as JSON when it is JSON). */
  public record Response(int status, Map<String, String> headers, String text) {
    public JsonNode json() {
      return Json.read(text);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  public Response get(String path) {
    return send("GET", path, null, null, Map.of());
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null, Map.of());
  }

  public Response post(String path, Object body) {
    return send("POST", path, body == null ? "" : Json.write(body), "application/json", Map.of());
  }

  public Response post(String path, Object body, Map<String, String> headers) {
    return send("POST", path, Json.write(body), "application/json", headers);
  }

  public Response postRaw(String path, String body, String contentType) {
    return send("POST", path, body, contentType, Map.of());
  }

  public Response put(String path, Object body) {
    return send("PUT", path, Json.write(body), "application/json", Map.of());
  }

  public Response putYaml(String path, String yaml) {
    return send("PUT", path, yaml, "application/yaml", Map.of());
  }

  public Response send(
      String method, String path, String body, String contentType, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, String> h = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
      return new Response(r.statusCode(), h, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
