package dev.runledger.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a task ended without running. */
public enum SkipReason {
  CONDITION_FALSE("condition-false"),
  UPSTREAM_FAILED("upstream-failed"),
  RUN_CANCELLED("run-cancelled"),
  APPROVAL_REJECTED("approval-rejected"),
  APPROVAL_EXPIRED("approval-expired");

  private final String wire;

  SkipReason(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  /**
   * An approval decision (rejected, or expired undecided): the steps that need the step are skipped
   * with this reason too, and the run is not failed by it.
   */
  public boolean isDecision() {
    return this == APPROVAL_REJECTED || this == APPROVAL_EXPIRED;
  }

  public static SkipReason fromWire(String value) {
    return Wire.parse(SkipReason.class, value);
  }
}
