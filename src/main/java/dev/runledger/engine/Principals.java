package dev.runledger.engine;

/** Names of the system principals. */
final class Principals {
  static final String ENGINE = "system:engine";
  static final String SCHEDULER = "system:scheduler";

  private Principals() {}
}
