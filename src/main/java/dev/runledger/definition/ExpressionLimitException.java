package dev.runledger.definition;

/**
 * An evaluation stopped at one of the expression limits (a value too large, too much work); the
 * message names the expression and the limit. Deterministic: the same inputs stop it again.
 */
public class ExpressionLimitException extends ExpressionException {
  private final boolean elements;
  private final long size;
  private final long limit;

  ExpressionLimitException(String message, boolean elements, long size, long limit) {
    super(message);
    this.elements = elements;
    this.size = size;
    this.limit = limit;
  }

  ExpressionLimitException(String message, ExpressionLimitException cause) {
    super(message, cause);
    this.elements = cause.elements;
    this.size = cause.size;
    this.limit = cause.limit;
  }

  /** True if a list or map would have had more elements than the limit. */
  public boolean elements() {
    return elements;
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
