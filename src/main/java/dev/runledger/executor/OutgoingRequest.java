package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Map;

/** One request of an {@code http} attempt, rendered: the first, or a redirect's next hop. */
record OutgoingRequest(String method, URI uri, Map<String, String> headers, JsonNode body) {

  /** The text of the body as sent, or null without one. */
  String bodyText() {
    if (body == null || body.isNull()) {
      return null;
    }
    return body.isTextual() ? body.asText() : body.toString();
  }

  /** The target as failures name it: see {@link #origin(URI)}. */
  String origin() {
    return origin(uri);
  }

  /** Host and explicit port, never user info, path or query (they may hold secrets). */
  static String origin(URI uri) {
    return uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }
}
