package dev.runledger.engine;

import dev.runledger.model.Run;
import org.slf4j.MDC;

/**
 * Names the run, task and principal on every log line written while the engine works on them (the
 * logging MDC keys {@code runId}, {@code task}, {@code principal}); closing it restores what the
 * thread had before, so nested contexts and pooled threads keep their own.
 */
public final class RunLogContext implements AutoCloseable {
  public static final String RUN_ID = "runId";
  public static final String TASK = "task";
  public static final String PRINCIPAL = "principal";

  private final String runId;
  private final String task;
  private final String principal;

  private RunLogContext() {
    this.runId = MDC.get(RUN_ID);
    this.task = MDC.get(TASK);
    this.principal = MDC.get(PRINCIPAL);
  }

  /** For work on {@code run}'s task {@code task} (null: the run as a whole). */
  public static RunLogContext of(Run run, String task) {
    RunLogContext previous = new RunLogContext();
    MDC.put(RUN_ID, run.id());
    put(TASK, task);
    MDC.put(PRINCIPAL, run.triggeredBy());
    return previous;
  }

  /** For work on the run {@code runId} when only its id is at hand. */
  public static RunLogContext of(String runId, String task) {
    RunLogContext previous = new RunLogContext();
    MDC.put(RUN_ID, runId);
    put(TASK, task);
    return previous;
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  @Override
  public void close() {
    put(RUN_ID, runId);
    put(TASK, task);
    put(PRINCIPAL, principal);
  }
}
