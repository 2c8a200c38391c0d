package dev.runledger.model;

/** A status change that the transition table does not allow. */
public class IllegalTransitionException extends IllegalStateException {
  public IllegalTransitionException(String message) {
    super(message);
  }
}
