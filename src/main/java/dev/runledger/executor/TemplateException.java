package dev.runledger.executor;

/** An expression that could not be evaluated; the message names the expression and why. */
public class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
