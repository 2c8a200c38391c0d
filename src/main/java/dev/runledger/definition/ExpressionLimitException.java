package dev.runledger.definition;

/**
 * An evaluation stopped at one of the expression limits (a value too large, too much work); the
 * message names the expression and the limit. Deterministic: the same inputs stop it again.
 */
public class ExpressionLimitException extends ExpressionException {
  private final long size;
  private final long limit;

  public ExpressionLimitException(String message, long size, long limit) {
    super(message);
    this.size = size;
    this.limit = limit;
  }

  ExpressionLimitException(String message, ExpressionLimitException cause) {
    super(message, cause);
    this.size = cause.size;
    this.limit = cause.limit;
  }

  /** How large the value was (or would have been), or how much the evaluation cost. */
  public long size() {
    return size;
  }

  /** The limit it passed. */
  public long limit() {
    return limit;
  }
}
