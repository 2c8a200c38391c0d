package dev.runledger.engine;

/** The request does not fit the current state (cancel of a finished run, say): HTTP 409. */
public class StateConflictException extends RuntimeException {
  public StateConflictException(String message) {
    super(message);
  }
}
