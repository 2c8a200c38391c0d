package dev.runledger.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** API roles; each includes the ones before it. */
public enum Role {
  VIEWER("viewer"),
  OPERATOR("operator"),
  APPROVER("approver"),
  ADMIN("admin");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public boolean includes(Role other) {
    return ordinal() >= other.ordinal();
  }

  public static Role fromWire(String value) {
    return Wire.parse(Role.class, value);
  }
}
