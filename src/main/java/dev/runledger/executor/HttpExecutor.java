package dev.runledger.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.runledger.model.Durations;
import dev.runledger.model.Failure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/** Runs {@code http} actions: one templated request, classified by its status. */
public final class HttpExecutor implements ActionExecutor {
  static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;
  private static final int MAX_REDIRECTS = 5;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
  private static final Set<String> SPEC_KEYS =
      Set.of("method", "url", "headers", "body", "successCodes", "outputs", "followRedirects");
  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie");
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(400, "bad request"),
          Map.entry(401, "unauthorized"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not found"),
          Map.entry(405, "method not allowed"),
          Map.entry(408, "request timeout"),
          Map.entry(409, "conflict"),
          Map.entry(410, "gone"),
          Map.entry(413, "payload too large"),
          Map.entry(415, "unsupported media type"),
          Map.entry(422, "unprocessable entity"),
          Map.entry(429, "too many requests"),
          Map.entry(500, "internal server error"),
          Map.entry(501, "not implemented"),
          Map.entry(502, "bad gateway"),
          Map.entry(503, "service unavailable"),
          Map.entry(504, "gateway timeout"));

  private final OutboundAddressPolicy policy;
  private final HttpClient client;

  /** Refuses requests to internal addresses. */
  public HttpExecutor() {
    this(OutboundAddressPolicy.denyInternal());
  }

  public HttpExecutor(OutboundAddressPolicy policy) {
    this(
        policy,
        HttpClient.newBuilder()
            // Redirects are followed here, not by the client, so every hop passes the policy.
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .build());
  }

  HttpExecutor(OutboundAddressPolicy policy, HttpClient client) {
    this.policy = policy;
    this.client = client;
  }

  @Override
  public String kind() {
    return "http";
  }

  @Override
  public AttemptResult execute(AttemptContext context) throws InterruptedException {
    Templates templates = context.templates();
    HttpEvidence evidence = new HttpEvidence(templates, context.clock());
    AttemptResult.Failed failed;
    try {
      return send(context, evidence);
    } catch (AttemptFailedException e) {
      failed = new AttemptResult.Failed(e.failure(), null, null, null);
    } catch (StatusFailure e) {
      failed = e.result;
    } catch (TemplateException e) {
      failed =
          new AttemptResult.Failed(
              Failure.deterministic(
                  e.getMessage(), "fix the expression in the action's http section"),
              null,
              null,
              null);
    } finally {
      if (!evidence.isEmpty()) {
        context.evidence("http", evidence.toJson());
      }
    }
    Failure f = failed.failure();
    return new AttemptResult.Failed(
        new Failure(
            f.kind(),
            f.cause() == null ? null : templates.mask(f.cause()),
            f.hint() == null ? null : templates.mask(f.hint())),
        failed.exitCode(),
        failed.httpStatus(),
        failed.retryAfter());
  }

  /** A classified response that is not a success; carries status and Retry-After. */
  private static final class StatusFailure extends Exception {
    final AttemptResult.Failed result;

    StatusFailure(AttemptResult.Failed result) {
      super(result.failure().cause(), null, false, false);
      this.result = result;
    }
  }

  private record Request(String method, URI uri, Map<String, String> headers, JsonNode body) {}

  private AttemptResult send(AttemptContext context, HttpEvidence evidence)
      throws AttemptFailedException, StatusFailure, InterruptedException {
    JsonNode spec = context.spec();
    if (spec == null || !spec.isObject()) {
      throw AttemptFailedException.deterministic(
          "the http section is not an object", "write http: {url: ..., method: ...}");
    }
    for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!SPEC_KEYS.contains(name)) {
        throw AttemptFailedException.deterministic(
            "unknown key in http: " + name,
            "use method, url, headers, body, successCodes, outputs");
      }
    }
    Set<Integer> successCodes = successCodes(spec);
    boolean followRedirects = spec.path("followRedirects").asBoolean(false);
    Request request = render(context);

    CompletableFuture<String> aborted = new CompletableFuture<>();
    context.abortSignal().onAbort(() -> aborted.complete(context.abortSignal().reason()));
    Duration timeout = context.timeout();
    long deadline =
        timeout == null || timeout.isZero()
            ? Long.MAX_VALUE
            : System.nanoTime() + timeout.toNanos();

    for (int hop = 0; ; hop++) {
      HttpResponse<byte[]> response = exchange(request, context, aborted, deadline, evidence);
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("location");
      if (followRedirects
          && status >= 300
          && status < 400
          && location.isPresent()
          && !successCodes.contains(status)) {
        if (hop + 1 > MAX_REDIRECTS) {
          throw new StatusFailure(
              new AttemptResult.Failed(
                  Failure.deterministic(
                      "more than " + MAX_REDIRECTS + " redirects from " + origin(request.uri()),
                      "use the final URL"),
                  null,
                  status,
                  null));
        }
        request = redirected(request, status, location.get());
        continue;
      }
      return classify(context, spec, request, response, successCodes, followRedirects);
    }
  }

  private Request render(AttemptContext context) throws AttemptFailedException {
    JsonNode spec = context.spec();
    Templates templates = context.templates();
    String method =
        spec.hasNonNull("method")
            ? templates.renderText(spec.get("method"), Map.of()).strip().toUpperCase(Locale.ROOT)
            : "GET";
    if (!METHOD.matcher(method).matches()) {
      throw AttemptFailedException.deterministic(
          "'" + method + "' is not an HTTP method", "use GET, POST, PUT, PATCH or DELETE");
    }
    if (!spec.hasNonNull("url")) {
      throw AttemptFailedException.deterministic("http.url is missing", "give the URL to call");
    }
    String url = templates.renderText(spec.get("url"), Map.of()).strip();
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw AttemptFailedException.deterministic(
          "'" + url + "' is not a valid URL: " + e.getReason(), "check the URL and its parameters");
    }
    if (!uri.isAbsolute()) {
      throw AttemptFailedException.deterministic(
          "'" + url + "' is not an absolute URL", "write https://host/path");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode declared = spec.get("headers");
    if (declared != null && !declared.isNull()) {
      if (!declared.isObject()) {
        throw AttemptFailedException.deterministic(
            "http.headers must be a map of names to values", "write headers: {Name: value}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (!entry.getKey().equalsIgnoreCase("Idempotency-Key")) {
          headers.put(entry.getKey(), templates.renderText(entry.getValue(), Map.of()));
        }
      }
    }
    JsonNode body = spec.hasNonNull("body") ? templates.render(spec.get("body"), Map.of()) : null;
    return new Request(method, uri, headers, body);
  }

  private static Set<Integer> successCodes(JsonNode spec) throws AttemptFailedException {
    JsonNode node = spec.get("successCodes");
    if (node == null || node.isNull()) {
      return Set.of();
    }
    Set<Integer> codes = new LinkedHashSet<>();
    if (node.isArray()) {
      for (JsonNode code : node) {
        if (code.isIntegralNumber() && code.intValue() >= 100 && code.intValue() <= 599) {
          codes.add(code.intValue());
          continue;
        }
        codes.clear();
        break;
      }
    }
    if (codes.isEmpty()) {
      throw AttemptFailedException.deterministic(
          "http.successCodes must be a non-empty list of HTTP status codes", "write [200, 201]");
    }
    return codes;
  }

  private static boolean isSuccess(int status, Set<Integer> successCodes) {
    return successCodes.isEmpty() ? status >= 200 && status < 300 : successCodes.contains(status);
  }

  private HttpResponse<byte[]> exchange(
      Request request,
      AttemptContext context,
      CompletableFuture<String> aborted,
      long deadline,
      HttpEvidence evidence)
      throws AttemptFailedException, InterruptedException {
    URI uri = request.uri();
    Optional<String> refusal;
    try {
      refusal = policy.refusal(uri);
    } catch (UnknownHostException e) {
      throw AttemptFailedException.transientFailure(
          "could not resolve host " + uri.getHost(),
          "check the host name in the URL; a retry may succeed if name resolution was down");
    }
    if (refusal.isPresent()) {
      throw AttemptFailedException.deterministic(
          refusal.get(),
          "if this service is meant to be reached, add its host or address range to the server's"
              + " --allow-http-to");
    }
    if (aborted.isDone()) {
      throw AttemptFailedException.deterministic(aborted.getNow("aborted"), null);
    }
    HttpRequest httpRequest = build(request, context, deadline);
    Map<String, String> sent = new LinkedHashMap<>();
    httpRequest
        .headers()
        .map()
        .forEach((name, values) -> sent.put(name, String.join(", ", values)));
    evidence.request(request.method(), request.uri(), sent, bodyText(request.body()));
    try {
      HttpResponse<byte[]> response = send(httpRequest, request, context, aborted, deadline);
      evidence.response(response.statusCode(), response.headers(), response.body());
      return response;
    } catch (AttemptFailedException e) {
      evidence.failed(e.failure().cause());
      throw e;
    }
  }

  /** The text of a request body as sent, or null without one. */
  private static String bodyText(JsonNode body) {
    if (body == null || body.isNull()) {
      return null;
    }
    return body.isTextual() ? body.asText() : body.toString();
  }

  private HttpResponse<byte[]> send(
      HttpRequest httpRequest,
      Request request,
      AttemptContext context,
      CompletableFuture<String> aborted,
      long deadline)
      throws AttemptFailedException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> response =
        client.sendAsync(httpRequest, new CappedBodyHandler(MAX_RESPONSE_BYTES));
    try {
      long left = deadline - System.nanoTime();
      CompletableFuture<Object> first = CompletableFuture.anyOf(response, aborted);
      if (deadline == Long.MAX_VALUE) {
        first.get();
      } else {
        first.get(Math.max(0, left), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      response.cancel(true);
      throw timedOut(context);
    } catch (ExecutionException e) {
      // The response future failed; examined below.
    } catch (InterruptedException e) {
      response.cancel(true);
      throw e;
    }
    if (!response.isDone()) {
      response.cancel(true);
      throw AttemptFailedException.deterministic(aborted.getNow("aborted"), null);
    }
    try {
      return response.get();
    } catch (ExecutionException e) {
      throw requestFailed(e.getCause(), request, context);
    }
  }

  private static HttpRequest build(Request request, AttemptContext context, long deadline)
      throws AttemptFailedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri());
    if (deadline != Long.MAX_VALUE) {
      builder.timeout(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
    }
    boolean hasContentType =
        request.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    String text = bodyText(request.body());
    if (text != null) {
      body = HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
      if (!hasContentType) {
        builder.header(
            "Content-Type",
            request.body().isTextual() ? "text/plain; charset=utf-8" : "application/json");
      }
    }
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      try {
        builder.header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw AttemptFailedException.deterministic(
            "header '" + header.getKey() + "' cannot be sent: " + e.getMessage(),
            "remove the header from the action; the client sets it itself");
      }
    }
    builder.header("Idempotency-Key", context.idempotencyKey());
    try {
      return builder.method(request.method(), body).build();
    } catch (IllegalArgumentException e) {
      throw AttemptFailedException.deterministic(
          "the request cannot be built: " + e.getMessage(), "check the method and URL");
    }
  }

  private static AttemptFailedException timedOut(AttemptContext context) {
    return AttemptFailedException.transientFailure(
        "timed out after " + Durations.format(context.timeout()), "raise the timeout");
  }

  private static AttemptFailedException requestFailed(
      Throwable cause, Request request, AttemptContext context) {
    String target = origin(request.uri());
    if (cause instanceof CappedBodyHandler.TooLargeException) {
      return AttemptFailedException.deterministic(
          "response from " + target + " refused: " + cause.getMessage(),
          "ask the service for less data per request");
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return AttemptFailedException.transientFailure(
          "could not connect to " + target + ": connection timed out",
          "check that the service is reachable from the worker; a retry may succeed");
    }
    if (cause instanceof HttpTimeoutException) {
      return timedOut(context);
    }
    if (cause instanceof ConnectException) {
      return AttemptFailedException.transientFailure(
          "could not connect to " + target + ": connection refused",
          "check that the service is up; a retry may succeed");
    }
    if (cause instanceof IOException) {
      return AttemptFailedException.transientFailure(
          "request to " + target + " failed: " + describe(cause), "a retry may succeed");
    }
    return AttemptFailedException.deterministic(
        "request to " + target + " failed: " + describe(cause), null);
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static Request redirected(Request request, int status, String location)
      throws AttemptFailedException {
    URI next;
    try {
      next = request.uri().resolve(new URI(location));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw AttemptFailedException.deterministic(
          "redirect from " + origin(request.uri()) + " to an invalid location: " + location, null);
    }
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    if (!origin(next).equals(origin(request.uri()))
        || !next.getScheme().equalsIgnoreCase(request.uri().getScheme())) {
      // Credentials meant for one origin are not handed to another.
      headers.keySet().removeIf(h -> CREDENTIAL_HEADERS.contains(h.toLowerCase(Locale.ROOT)));
    }
    boolean toGet =
        status == 303
            || ((status == 301 || status == 302)
                && !request.method().equals("GET")
                && !request.method().equals("HEAD"));
    if (toGet) {
      headers.keySet().removeIf(h -> h.equalsIgnoreCase("Content-Type"));
      return new Request(request.method().equals("HEAD") ? "HEAD" : "GET", next, headers, null);
    }
    return new Request(request.method(), next, headers, request.body());
  }

  private AttemptResult classify(
      AttemptContext context,
      JsonNode spec,
      Request request,
      HttpResponse<byte[]> response,
      Set<Integer> successCodes,
      boolean followRedirects)
      throws StatusFailure {
    int status = response.statusCode();
    String target = origin(request.uri());
    JsonNode body = parseBody(response);
    if (isSuccess(status, successCodes)) {
      boolean replayed =
          response.headers().firstValue("idempotent-replayed").orElse("").equalsIgnoreCase("true");
      JsonNode outputs;
      try {
        outputs = outputs(context, spec, response, body, status);
      } catch (AttemptFailedException e) {
        throw new StatusFailure(new AttemptResult.Failed(e.failure(), null, status, null));
      }
      return new AttemptResult.Succeeded(outputs, replayed, null, status);
    }
    String cause =
        "HTTP "
            + status
            + " from "
            + target
            + ": "
            + REASONS.getOrDefault(status, reasonClass(status));
    String excerpt = excerpt(body);
    if (!excerpt.isEmpty()) {
      cause += ": " + excerpt;
    }
    if (status >= 300 && status < 400) {
      String location = response.headers().firstValue("location").orElse(null);
      Failure failure =
          location == null
              ? Failure.deterministic(cause, "list the status in successCodes if it is expected")
              : Failure.deterministic(
                  "HTTP "
                      + status
                      + " from "
                      + target
                      + ": redirect to "
                      + location
                      + " not followed",
                  followRedirects
                      ? "use the final URL"
                      : "use the final URL, or set followRedirects: true");
      throw new StatusFailure(new AttemptResult.Failed(failure, null, status, null));
    }
    if (status == 408 || status == 429 || status >= 500) {
      Duration retryAfter =
          parseRetryAfter(
              response.headers().firstValue("retry-after").orElse(null), context.clock());
      String wait = retryAfter == null ? null : "retry after " + retryAfter.toSeconds() + " s";
      String hint =
          switch (status) {
            case 429 ->
                "rate limited: " + (wait == null ? "a retry after a pause may succeed" : wait);
            case 408 -> "the service timed out waiting for the request; a retry may succeed";
            default ->
                "the service was unavailable; " + (wait == null ? "a retry may succeed" : wait);
          };
      throw new StatusFailure(
          new AttemptResult.Failed(
              Failure.transientFailure(cause, hint), null, status, retryAfter));
    }
    String hint =
        switch (status) {
          case 401, 403 ->
              "check the credentials (a secret's token) and what they are allowed to do";
          case 404 -> "check the URL";
          case 400, 422 -> "the request was rejected, check the parameters";
          case 405 -> "check the method";
          case 409 -> "the request conflicts with the service's current state";
          default ->
              status >= 200 && status < 300
                  ? "list the status in successCodes if it is a success"
                  : "the request was refused; check the action's request";
        };
    throw new StatusFailure(
        new AttemptResult.Failed(Failure.deterministic(cause, hint), null, status, null));
  }

  private static String reasonClass(int status) {
    if (status >= 200 && status < 300) {
      return "not one of the successCodes";
    }
    return status >= 500 ? "server error" : "unexpected status";
  }

  private JsonNode outputs(
      AttemptContext context,
      JsonNode spec,
      HttpResponse<byte[]> response,
      JsonNode body,
      int status)
      throws AttemptFailedException {
    JsonNode template = spec.get("outputs");
    if (template == null || template.isNull()) {
      return body.isObject() ? body : JSON.createObjectNode();
    }
    ObjectNode variable = JSON.createObjectNode();
    variable.put("status", status);
    ObjectNode headers = variable.putObject("headers");
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
              }
            });
    variable.set("body", body);
    JsonNode rendered;
    try {
      rendered = context.templates().render(template, Map.of("response", variable));
    } catch (TemplateException e) {
      throw new AttemptFailedException(
          Failure.deterministic(
              "outputs: " + e.getMessage(),
              "the response did not have what the outputs expressions read; check them"));
    }
    if (rendered == null || !rendered.isObject()) {
      throw AttemptFailedException.deterministic(
          "http.outputs must render to an object of named outputs",
          "write outputs: {name: \"${{ response.body.id }}\"}");
    }
    return rendered;
  }

  /** The body as JSON when it is JSON, else as a string. */
  private static JsonNode parseBody(HttpResponse<byte[]> response) {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
    String trimmed = text.strip();
    boolean looksJson = trimmed.startsWith("{") || trimmed.startsWith("[");
    if (type.contains("json") || looksJson) {
      try {
        JsonNode node = JSON.readTree(text);
        if (node != null && !node.isMissingNode()) {
          return node;
        }
      } catch (JsonProcessingException e) {
        // Not JSON after all: kept as text.
      }
    }
    return TextNode.valueOf(text);
  }

  private static String excerpt(JsonNode body) {
    String text = body.isTextual() ? body.asText() : body.toString();
    text = text.replaceAll("\\s+", " ").strip();
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }

  /** A Retry-After value: delta seconds or an HTTP date; null when absent or unreadable. */
  static Duration parseRetryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Host and explicit port, never user info, path or query (they may hold secrets). */
  private static String origin(URI uri) {
    return uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
