package dev.runledger.cli;

/** A failure a client command reports as one {@code error: ...} message and exit code 1. */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
