package dev.runledger.cli;

/**
 * The exit codes of every {@code runledger} command, one per kind of outcome, so that a script can
 * tell a failed run from a typo, a missing run from a missing server.
 */
public final class ExitCodes {
  /** The command did what it was asked; a watched run completed. */
  public static final int OK = 0;

  /** A watched run ended other than completed, or an error none of the codes below names. */
  public static final int FAILED = 1;

  /** The command line is wrong: unknown option, missing or malformed value (also picocli's). */
  public static final int USAGE = 2;

  /** The server has no such run, task, definition, approval, token or secret (404). */
  public static final int NOT_FOUND = 3;

  /** No valid token, or the token's role may not do this (401, 403). */
  public static final int DENIED = 4;

  /**
   * The server could not be reached, did not answer, or is busy: connection refused, timeout, 429,
   * 502-504. Trying again later may work.
   */
  public static final int UNREACHABLE = 5;

  /** The server refused the request as it stands: validation or a conflict (400, 409, 422...). */
  public static final int REJECTED = 6;

  /** Interrupted (Ctrl-C), as shells report a SIGINT. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /** The exit code for an HTTP error status. */
  static int forStatus(int status) {
    return switch (status) {
      case 404, 410 -> NOT_FOUND;
      case 401, 403 -> DENIED;
      case 429, 502, 503, 504 -> UNREACHABLE;
      default -> status >= 400 && status < 500 ? REJECTED : FAILED;
    };
  }
}
