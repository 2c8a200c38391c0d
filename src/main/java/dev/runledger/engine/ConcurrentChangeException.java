package dev.runledger.engine;

/** Another writer changed the record first (optimistic lock lost). */
public class ConcurrentChangeException extends RuntimeException {
  public ConcurrentChangeException(String message) {
    super(message);
  }
}
