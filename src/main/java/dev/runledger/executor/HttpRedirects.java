package dev.runledger.executor;

import dev.runledger.model.Failure;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Following redirects when an action asks for it ({@code followRedirects: true}): which responses
 * are followed, the next hop's request, and the limit on hops.
 */
final class HttpRedirects {
  static final int MAX_REDIRECTS = 5;
  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie");

  private HttpRedirects() {}

  /** Where a response sends the request next, when it is a redirect to follow. */
  static Optional<String> toFollow(HttpActionSpec action, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    Optional<String> location = response.headers().firstValue("location");
    if (action.followRedirects()
        && status >= 300
        && status < 400
        && location.isPresent()
        && !action.successCodes().contains(status)) {
      return location;
    }
    return Optional.empty();
  }

  /** The failure when a request was redirected more than {@link #MAX_REDIRECTS} times. */
  static AttemptResult.Failed tooMany(OutgoingRequest request, int status) {
    return new AttemptResult.Failed(
        Failure.deterministic(
            "more than " + MAX_REDIRECTS + " redirects from " + request.origin(),
            "use the final URL"),
        null,
        status,
        null);
  }

  /**
   * The request to send to {@code location}: credentials stay with their origin, and a 303 (or a
   * 301/302 of anything but GET and HEAD) becomes a GET without a body.
   */
  static OutgoingRequest next(OutgoingRequest request, int status, String location)
      throws AttemptFailedException {
    URI next;
    try {
      next = request.uri().resolve(new URI(location));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw AttemptFailedException.deterministic(
          "redirect from " + request.origin() + " to an invalid location: " + location, null);
    }
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    if (!OutgoingRequest.origin(next).equals(request.origin())
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
      return new OutgoingRequest(
          request.method().equals("HEAD") ? "HEAD" : "GET", next, headers, null);
    }
    return new OutgoingRequest(request.method(), next, headers, request.body());
  }
}
