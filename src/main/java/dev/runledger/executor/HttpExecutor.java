package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Failure;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Runs {@code http} actions: one templated request, classified by its status. */
public final class HttpExecutor implements ActionExecutor {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpExchange exchange;

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
    this.exchange = new HttpExchange(policy, client);
  }

  @Override
  public String kind() {
    return "http";
  }

  @Override
  public AttemptResult execute(AttemptContext context) throws InterruptedException {
    Templates templates = context.templates();
    HttpEvidence evidence = new HttpEvidence(templates, context.clock());
    AttemptResult result;
    try {
      result = send(context, evidence);
    } catch (AttemptFailedException e) {
      result = e.toResult();
    } catch (TemplateException e) {
      result =
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
    if (!(result instanceof AttemptResult.Failed failed)) {
      return result;
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

  /** Sends the request, following redirects if asked, until a response to classify. */
  private AttemptResult send(AttemptContext context, HttpEvidence evidence)
      throws AttemptFailedException, InterruptedException {
    HttpActionSpec action = HttpActionSpec.read(context.spec());
    OutgoingRequest request = HttpRequestBuilder.render(context.spec(), context.templates());

    CompletableFuture<String> aborted = new CompletableFuture<>();
    context.abortSignal().onAbort(() -> aborted.complete(context.abortSignal().reason()));
    Duration timeout = context.timeout();
    long deadline =
        timeout == null || timeout.isZero()
            ? Long.MAX_VALUE
            : System.nanoTime() + timeout.toNanos();

    for (int hop = 0; ; hop++) {
      HttpResponse<byte[]> response =
          exchange.exchange(request, context, aborted, deadline, evidence);
      Optional<String> location = HttpRedirects.toFollow(action, response);
      if (location.isPresent()) {
        if (hop + 1 > HttpRedirects.MAX_REDIRECTS) {
          return HttpRedirects.tooMany(request, response.statusCode());
        }
        request = HttpRedirects.next(request, response.statusCode(), location.get());
        continue;
      }
      return outcome(context, action, request, response);
    }
  }

  private static AttemptResult outcome(
      AttemptContext context,
      HttpActionSpec action,
      OutgoingRequest request,
      HttpResponse<byte[]> response) {
    int status = response.statusCode();
    JsonNode body = HttpResponseReader.body(response);
    if (!action.isSuccess(status)) {
      return HttpStatusClassifier.failure(
          request.origin(), response, body, action.followRedirects(), context.clock());
    }
    try {
      JsonNode outputs =
          HttpResponseReader.outputs(action.outputs(), context.templates(), response, body);
      return new AttemptResult.Succeeded(
          outputs, HttpResponseReader.replayed(response), null, status);
    } catch (AttemptFailedException e) {
      return new AttemptResult.Failed(e.failure(), null, status, null);
    }
  }
}
