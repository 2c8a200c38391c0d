package dev.runledger.store;

/** A write that collides with an existing record (a unique key). */
public class ConflictException extends RuntimeException {
  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
