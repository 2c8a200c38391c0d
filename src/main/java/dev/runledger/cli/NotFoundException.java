package dev.runledger.cli;

/** Something named on the command line does not exist locally (exit code 3, as a 404). */
public final class NotFoundException extends CliException {
  public NotFoundException(String message) {
    super(message);
  }

  @Override
  public int exitCode() {
    return ExitCodes.NOT_FOUND;
  }
}
