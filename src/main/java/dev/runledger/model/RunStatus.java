package dev.runledger.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Lifecycle of a run (DESIGN.md §2). */
public enum RunStatus {
  PENDING("pending"),
  RUNNING("running"),
  COMPLETED("completed"),
  COMPLETED_WITH_FAILURES("completed-with-failures"),
  FAILED("failed"),
  CANCELLED("cancelled");

  private final String wire;

  RunStatus(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public boolean isTerminal() {
    return this != PENDING && this != RUNNING;
  }

  public static RunStatus fromWire(String value) {
    return Wire.parse(RunStatus.class, value);
  }
}
