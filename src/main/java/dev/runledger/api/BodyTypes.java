package dev.runledger.api;

import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * The media types a route accepts for its body; a body sent as another type is refused with 415
 * before the handler runs, so that nothing is changed by a body the route would misread. A body
 * without a {@code Content-Type} is read as the route's first type (JSON), as before.
 */
enum BodyTypes {
  /** {@code application/json} and any {@code application/*+json}. */
  JSON(List.of("application/json")),
  /** A definition: JSON or YAML ({@code text/plain} is read as YAML). */
  DEFINITION(
      List.of(
          "application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/plain")),
  /** Anything: the handler reads the body by its type (webhooks, binary-mode CloudEvents). */
  ANY(List.of("*/*"));

  private final List<String> types;

  BodyTypes(List<String> types) {
    this.types = types;
  }

  List<String> types() {
    return types;
  }

  /**
   * @throws ApiException 415 when the request has a body of a type this route does not read
   */
  void check(Context ctx) {
    if (this == ANY) {
      return;
    }
    String type = mediaType(ctx.contentType());
    if (type == null || ctx.bodyAsBytes().length == 0 || accepts(type)) {
      return;
    }
    throw unsupported(ctx, type, types);
  }

  boolean accepts(String type) {
    return types.contains(type) || (type.startsWith("application/") && type.endsWith("+json"));
  }

  /** A 415 naming the type sent and those accepted; a POST also says so in {@code Accept-Post}. */
  static ApiException unsupported(Context ctx, String type, List<String> accepted) {
    if ("POST".equals(ctx.method().name())) {
      ctx.header("Accept-Post", String.join(", ", accepted));
    }
    return new ApiException(
        ProblemType.UNSUPPORTED_MEDIA_TYPE,
        "this route does not read a body of type "
            + type
            + "; send "
            + String.join(" or ", accepted));
  }

  /** The media type of a {@code Content-Type} value without parameters, lower case; or null. */
  static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }
}
