package dev.runledger.engine.evidence;

import dev.runledger.model.Failure;

/** An input could not be placed or an output could not be kept: the attempt fails with this. */
public final class ArtifactException extends Exception {
  private final transient Failure failure;

  ArtifactException(Failure failure) {
    super(failure.cause());
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
