package dev.runledger.model;

/** Why a task or attempt failed: its kind, a cause a person understands, and what to do. */
public record Failure(FailureKind kind, String cause, String hint) {
  public static Failure transientFailure(String cause, String hint) {
    return new Failure(FailureKind.TRANSIENT, cause, hint);
  }

  public static Failure deterministic(String cause, String hint) {
    return new Failure(FailureKind.DETERMINISTIC, cause, hint);
  }
}
