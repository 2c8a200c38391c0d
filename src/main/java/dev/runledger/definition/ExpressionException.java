package dev.runledger.definition;

/** An expression that could not be compiled or evaluated; the message names the expression. */
public class ExpressionException extends RuntimeException {
  public ExpressionException(String message) {
    super(message);
  }

  public ExpressionException(String message, Throwable cause) {
    super(message, cause);
  }
}
