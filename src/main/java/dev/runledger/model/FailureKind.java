package dev.runledger.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a new attempt could succeed. */
public enum FailureKind {
  TRANSIENT("transient"),
  DETERMINISTIC("deterministic");

  private final String wire;

  FailureKind(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public static FailureKind fromWire(String value) {
    return Wire.parse(FailureKind.class, value);
  }
}
