package dev.runledger.api;

/** An HTTP error the API answers with a problem detail. */
public class ApiException extends RuntimeException {
  private final int status;
  private final String title;
  private final ProblemType type;

  public ApiException(int status, String title, String detail) {
    this(null, status, title, detail);
  }

  ApiException(ProblemType type, int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
    this.type = type;
  }

  ApiException(ProblemType type, String detail) {
    this(type, type.status(), type.title(), detail);
  }

  /** The problem's type, or null for the one its status implies. */
  ProblemType type() {
    return type;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "Unauthorized", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "Forbidden", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "Not Found", detail);
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "Bad Request", detail);
  }
}
