package dev.runledger.engine;

import dev.runledger.model.Failure;

/** An input could not be placed or an output could not be kept: the attempt fails with this. */
final class ArtifactException extends Exception {
  private final transient Failure failure;

  ArtifactException(Failure failure) {
    super(failure.cause());
    this.failure = failure;
  }

  Failure failure() {
    return failure;
  }
}
