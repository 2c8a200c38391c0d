package dev.runledger.cli;

/** A failure a client command reports as one {@code error: ...} message and its exit code. */
public class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The process's exit code for this failure (see {@link ExitCodes}). */
  public int exitCode() {
    return ExitCodes.FAILED;
  }
}
