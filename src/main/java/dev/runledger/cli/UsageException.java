package dev.runledger.cli;

/** An option's value is wrong or options contradict each other: exit code 2, as picocli's own. */
public final class UsageException extends CliException {
  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }

  public UsageException(String message) {
    super(message);
  }

  @Override
  public int exitCode() {
    return ExitCodes.USAGE;
  }
}
