package dev.runledger.executor;

import dev.runledger.model.Durations;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one request of an {@code http} attempt and waits for its response: the address policy
 * first, then the client, until the response, the deadline or an abort, whichever comes first. A
 * request that gets no response fails with why (refused, unreachable, timed out, too large).
 */
final class HttpExchange {
  static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

  private final OutboundAddressPolicy policy;
  private final HttpClient client;

  HttpExchange(OutboundAddressPolicy policy, HttpClient client) {
    this.policy = policy;
    this.client = client;
  }

  /**
   * @param aborted completes with the reason when the attempt is aborted
   * @param deadline {@link System#nanoTime()} by which the response must be in, or {@code
   *     Long.MAX_VALUE}
   */
  HttpResponse<byte[]> exchange(
      OutgoingRequest request,
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
    HttpRequest httpRequest = HttpRequestBuilder.build(request, context.idempotencyKey(), deadline);
    Map<String, String> sent = new LinkedHashMap<>();
    httpRequest
        .headers()
        .map()
        .forEach((name, values) -> sent.put(name, String.join(", ", values)));
    evidence.request(request.method(), request.uri(), sent, request.bodyText());
    try {
      HttpResponse<byte[]> response = send(httpRequest, request, context, aborted, deadline);
      evidence.response(response.statusCode(), response.headers(), response.body());
      return response;
    } catch (AttemptFailedException e) {
      evidence.failed(e.failure().cause());
      throw e;
    }
  }

  private HttpResponse<byte[]> send(
      HttpRequest httpRequest,
      OutgoingRequest request,
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

  private static AttemptFailedException timedOut(AttemptContext context) {
    return AttemptFailedException.transientFailure(
        "timed out after " + Durations.format(context.timeout()), "raise the timeout");
  }

  private static AttemptFailedException requestFailed(
      Throwable cause, OutgoingRequest request, AttemptContext context) {
    String target = request.origin();
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
}
