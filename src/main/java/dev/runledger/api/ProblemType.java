package dev.runledger.api;

/**
 * The kinds of problem the API answers, each named by a {@code type} URI (RFC 9457 §3.1.1) that a
 * client can switch on instead of parsing the detail; docs/api-conventions.md lists them.
 */
enum ProblemType {
  VALIDATION("validation", 400, "Bad Request"),
  BAD_REQUEST("bad-request", 400, "Bad Request"),
  UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
  FORBIDDEN("forbidden", 403, "Forbidden"),
  NOT_FOUND("not-found", 404, "Not Found"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method Not Allowed"),
  NOT_ACCEPTABLE("not-acceptable", 406, "Not Acceptable"),
  CONFLICT("conflict", 409, "Conflict"),
  GONE("gone", 410, "Gone"),
  PRECONDITION_FAILED("precondition-failed", 412, "Precondition Failed"),
  CONTENT_TOO_LARGE("content-too-large", 413, "Content Too Large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported Media Type"),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Unprocessable Content"),
  RATE_LIMITED("rate-limited", 429, "Too Many Requests"),
  INTERNAL("internal-error", 500, "Internal Server Error"),
  UNAVAILABLE("unavailable", 503, "Service Unavailable"),
  OTHER("error", 0, "Error");

  /** Where the problem types are named; not fetched by clients, only compared. */
  static final String BASE = "https://runledger.dev/problems/";

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  String uri() {
    return BASE + slug;
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }

  /** The type of a status that has no more specific one (400 without field errors, 409, ...). */
  static ProblemType forStatus(int status) {
    for (ProblemType t : values()) {
      if (t.status == status && t != VALIDATION) {
        return t;
      }
    }
    return OTHER;
  }
}
