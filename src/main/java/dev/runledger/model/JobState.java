package dev.runledger.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** State of a queue entry (DESIGN.md §3, the queue). */
public enum JobState {
  QUEUED("queued"),
  LEASED("leased"),
  DONE("done");

  private final String wire;

  JobState(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public static JobState fromWire(String value) {
    return Wire.parse(JobState.class, value);
  }
}
