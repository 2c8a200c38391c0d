package dev.runledger.engine;

/**
 * An Idempotency-Key sent again with another route or another body than the request it was first
 * bound to: neither replaying the first run nor starting a new one would be what the client meant.
 */
public class IdempotencyKeyReusedException extends RuntimeException {
  public IdempotencyKeyReusedException(String message) {
    super(message);
  }
}
