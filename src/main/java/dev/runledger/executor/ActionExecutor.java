package dev.runledger.executor;

/**
 * Runs one attempt of an action of one kind. Implementations are found with ServiceLoader or
 * registered by the wiring; they never touch the store.
 */
public interface ActionExecutor {
  /** {@code command}, {@code http} or {@code builtin}. */
  String kind();

  /**
   * Runs the attempt to its end. Returns a result for every outcome the action can have; an
   * exception is treated as a deterministic failure with the exception's message as cause.
   */
  AttemptResult execute(AttemptContext context) throws InterruptedException;
}
