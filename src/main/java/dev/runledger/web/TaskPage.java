package dev.runledger.web;

import java.util.List;

/**
 * A task's page: what it ran with and how it ended, its attempts, job and evidence, and one page of
 * one attempt's log.
 */
public record TaskPage(
    Chrome chrome,
    TaskFacts task,
    List<AttemptRow> attempts,
    Evidence evidence,
    TaskLines log,
    LogPager pager,
    List<AttemptLink> attemptLinks,
    String liveHref) {

  /** What the task is and how it stands. */
  public record TaskFacts(
      String runId,
      String runHref,
      String runName,
      String name,
      String step,
      String subjectKey,
      String subject,
      String action,
      String actionHref,
      int actionRevision,
      String actionHash,
      String idempotencyKey,
      String replayOfHref,
      String parameters,
      String result,
      String outputs,
      String failureCause,
      String failureHint,
      String failureKind,
      String skipReason,
      String abortNote,
      String started,
      String completed,
      String duration,
      TaskState state) {}

  /** The part a live stream sends again: the status and the job's progress. */
  public record TaskState(
      String status, Integer percent, String progressMessage, String jobState, boolean ended) {}

  /** One try of the task. */
  public record AttemptRow(
      int number,
      String status,
      String host,
      String exit,
      String started,
      String duration,
      String error,
      String logHref,
      boolean shown) {}

  /** A link to one attempt's log. */
  public record AttemptLink(int number, String href, boolean current) {}

  /** What the last attempt ran and read and wrote. */
  public record Evidence(
      String command,
      String executable,
      String runtime,
      String http,
      String host,
      String exit,
      String stdoutBytes,
      String stderrBytes,
      List<FileRow> inputs,
      List<FileRow> outputs,
      String logsPruned) {}

  /** A file the attempt read or wrote. */
  public record FileRow(String name, String size, String mediaType, String sha256, String href) {}

  /** Links to the pages of the log around the one shown. */
  public record LogPager(
      String firstHref, String previousHref, String nextHref, String lastHref, String range) {}
}
