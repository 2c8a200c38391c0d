package dev.runledger.cli;

/** The server could not be reached at all; retrying the next request would fail the same way. */
public final class ConnectionException extends CliException {
  public ConnectionException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return ExitCodes.UNREACHABLE;
  }
}
