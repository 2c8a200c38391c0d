package dev.runledger.web;

import java.util.List;

/**
 * A run's page: its facts, what a person may do with it, its steps (as a graph and in order), the
 * tasks of one step, a timeline, its evidence and its audit trail.
 *
 * @param tab {@code overview}, {@code timeline}, {@code evidence} or {@code audit}
 * @param liveHref the stream that keeps status and steps current, or null once the run ended
 */
public record RunPage(
    Chrome chrome,
    RunFacts run,
    RunButtons buttons,
    String tab,
    List<StepView> steps,
    Svg dag,
    TaskTable tasks,
    Svg gantt,
    List<ArtifactRow> artifacts,
    Svg lineage,
    List<LineageRow> lineageRows,
    List<AuditRow> audit,
    String liveHref) {

  /** The tabs: key, label. */
  public static final String[][] TABS = {
    {"overview", "Overview"}, {"timeline", "Timeline"}, {"evidence", "Evidence"}, {"audit", "Audit"}
  };

  /** What the run's header and facts show. */
  public record RunFacts(
      String id,
      String href,
      String name,
      String kind,
      String definitionHref,
      int revision,
      String definitionHash,
      String engineVersion,
      String status,
      String review,
      String reviewBy,
      String reviewComment,
      String triggerType,
      String triggerSource,
      String triggerDetail,
      String triggeredBy,
      String initiatedBy,
      String parameters,
      String labels,
      String created,
      String started,
      String completed,
      String duration,
      int done,
      int total,
      int failures,
      String parentHref,
      String rerunOfHref,
      String cancelNote,
      boolean ended) {}

  /** The buttons shown; each only to a principal whose role allows it, when it applies. */
  public record RunButtons(
      boolean cancel,
      boolean abort,
      boolean retry,
      boolean retryOnlyForced,
      String retryWhy,
      boolean rerun,
      boolean review) {
    public boolean any() {
      return cancel || abort || retry || rerun || review;
    }
  }

  /** The buttons with their confirmation dialogs (a fragment a live stream sends again). */
  public record RunActions(RunFacts run, RunButtons buttons, String csrf, String projectQuery) {}

  /** A step in order: its status, tasks, and for a one-task step its outputs or failure. */
  public record StepView(
      String id,
      String action,
      String status,
      int total,
      String counts,
      String duration,
      String outputs,
      String failureCause,
      String failureHint,
      String failureKind,
      String taskHref,
      boolean fanOut,
      String tasksHref) {}

  /** A page of one step's tasks, filterable by status and searchable by subject. */
  public record TaskTable(
      String step,
      String status,
      String subject,
      List<TaskRow> rows,
      String nextHref,
      List<String> steps,
      String formAction) {}

  /** A task in the table. */
  public record TaskRow(
      String name,
      String href,
      String subject,
      String status,
      String attempts,
      String duration,
      String result,
      String cause) {}

  /** A file of the run. */
  public record ArtifactRow(
      String name,
      String task,
      String taskHref,
      String direction,
      String size,
      String mediaType,
      String sha256,
      String downloadHref,
      boolean pruned) {}

  /** A flow across runs: who produced a file and who consumed it. */
  public record LineageRow(
      String producer, String producerHref, String file, String consumer, String consumerHref) {}

  /** An audit event of the run. */
  public record AuditRow(String at, String actor, String type, String task, String details) {}
}
