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

  public static SkipReason fromWire(String value) {
    return Wire.parse(SkipReason.class, value);
  }
}
