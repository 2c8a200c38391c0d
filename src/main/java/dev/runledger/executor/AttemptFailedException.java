package dev.runledger.executor;

import dev.runledger.model.Failure;

/** Ends an attempt early inside an executor with a failure it can report. */
final class AttemptFailedException extends Exception {
  private final transient Failure failure;

  AttemptFailedException(Failure failure) {
    super(failure.cause(), null, false, false);
    this.failure = failure;
  }

  static AttemptFailedException deterministic(String cause, String hint) {
    return new AttemptFailedException(Failure.deterministic(cause, hint));
  }

  static AttemptFailedException transientFailure(String cause, String hint) {
    return new AttemptFailedException(Failure.transientFailure(cause, hint));
  }

  Failure failure() {
    return failure;
  }

  AttemptResult.Failed toResult() {
    return new AttemptResult.Failed(failure, null, null, null);
  }
}
