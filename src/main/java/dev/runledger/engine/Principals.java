package dev.runledger.engine;

/** Names of the system principals. */
public final class Principals {
  public static final String ENGINE = "system:engine";
  public static final String SCHEDULER = "system:scheduler";

  private Principals() {}
}
