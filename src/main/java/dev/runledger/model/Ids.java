package dev.runledger.model;

import com.github.f4b6a3.ulid.UlidCreator;

/** Prefixed, time-ordered identifiers: {@code run_01JD3...}. */
public final class Ids {
  private Ids() {}

  public static String run() {
    return next("run_");
  }

  public static String job() {
    return next("job_");
  }

  public static String event() {
    return next("evt_");
  }

  public static String token() {
    return next("tok_");
  }

  public static String approval() {
    return next("apr_");
  }

  private static String next(String prefix) {
    return prefix + UlidCreator.getMonotonicUlid();
  }
}
