package dev.runledger.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Lifecycle of a task (DESIGN.md §2). */
public enum TaskStatus {
  PENDING("pending"),
  AWAITING_APPROVAL("awaiting-approval"),
  QUEUED("queued"),
  RUNNING("running"),
  SUCCEEDED("succeeded"),
  FAILED("failed"),
  SKIPPED("skipped"),
  IDEMPOTENT_REPLAY("idempotent-replay");

  private final String wire;

  TaskStatus(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == SKIPPED || this == IDEMPOTENT_REPLAY;
  }

  /** Succeeded for the purpose of run outcome: the effect exists. */
  public boolean isSuccess() {
    return this == SUCCEEDED || this == IDEMPOTENT_REPLAY;
  }

  public static TaskStatus fromWire(String value) {
    return Wire.parse(TaskStatus.class, value);
  }
}
