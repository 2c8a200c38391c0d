package dev.runledger.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Json;
import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One group's figures in a run report (a workflow's, or the totals), with its steps'. */
public final class ReportGroup {
  final String workflow;
  final String action;
  final Map<String, Long> runs = zeros(RunStatus.values().length);
  final Map<String, Long> tasks = zeroTasks();
  final Map<String, Long> approvals = new TreeMap<>();
  long actionsInvoked;
  long subjectsMatched;
  long retries;
  long recovered;
  long cancellations;
  final Map<String, Step> steps = new TreeMap<>();

  ReportGroup(String workflow, String action) {
    this.workflow = workflow;
    this.action = action;
    for (RunStatus s : RunStatus.values()) {
      runs.put(s.wire(), 0L);
    }
    approvals.put("approved", 0L);
    approvals.put("rejected", 0L);
  }

  private static Map<String, Long> zeros(int n) {
    return new java.util.LinkedHashMap<>(n * 2);
  }

  void add(ReportGroup other) {
    other.runs.forEach((k, v) -> runs.merge(k, v, Long::sum));
    other.tasks.forEach((k, v) -> tasks.merge(k, v, Long::sum));
    other.approvals.forEach((k, v) -> approvals.merge(k, v, Long::sum));
    actionsInvoked += other.actionsInvoked;
    subjectsMatched += other.subjectsMatched;
    retries += other.retries;
    recovered += other.recovered;
    cancellations += other.cancellations;
  }

  long total(Map<String, Long> counts) {
    return sum(counts);
  }

  /** The workflow counted, or null (one-off runs of an action, or the totals). */
  public String workflow() {
    return workflow;
  }

  /** The action of one-off runs counted, or null. */
  public String action() {
    return action;
  }

  /** Runs by status, every status in the enum's order. */
  public Map<String, Long> runs() {
    return java.util.Collections.unmodifiableMap(runs);
  }

  /** Tasks by outcome, every status in the enum's order. */
  public Map<String, Long> tasks() {
    return java.util.Collections.unmodifiableMap(tasks);
  }

  public long runTotal() {
    return sum(runs);
  }

  public long taskTotal() {
    return sum(tasks);
  }

  public long approved() {
    return approvals.get("approved");
  }

  public long rejected() {
    return approvals.get("rejected");
  }

  public long actionsInvoked() {
    return actionsInvoked;
  }

  public long subjectsMatched() {
    return subjectsMatched;
  }

  public long retries() {
    return retries;
  }

  public long recovered() {
    return recovered;
  }

  public long cancellations() {
    return cancellations;
  }

  ObjectNode json() {
    ObjectNode n = Json.object();
    if (workflow != null || action != null) {
      n.put("workflow", workflow);
      n.put("action", action);
    }
    n.set("runs", counts(runs));
    n.set("tasks", counts(tasks));
    n.put("actionsInvoked", actionsInvoked);
    n.put("subjectsMatched", subjectsMatched);
    ObjectNode a = counts(approvals);
    n.set("approvalsDecided", a);
    n.put("retries", retries);
    n.put("recovered", recovered);
    n.put("cancellations", cancellations);
    return n;
  }

  Step step(String step) {
    return steps.computeIfAbsent(step, Step::new);
  }

  /**
   * One step's figures within a group, so that a step that looks subjects up is not counted with
   * the step that acts on each of them.
   */
  static final class Step {
    final String step;
    final Map<String, Long> tasks = zeroTasks();
    long subjectTasks;
    long retries;
    long recovered;

    Step(String step) {
      this.step = step;
    }

    ObjectNode json() {
      ObjectNode n = Json.object();
      n.put("step", step);
      n.set("tasks", counts(tasks));
      n.put("subjectTasks", subjectTasks);
      n.put("retries", retries);
      n.put("recovered", recovered);
      return n;
    }
  }

  /** Every task status with a count of 0, in the enum's order. */
  private static Map<String, Long> zeroTasks() {
    Map<String, Long> tasks = new LinkedHashMap<>();
    for (TaskStatus s : TaskStatus.values()) {
      tasks.put(s.wire(), 0L);
    }
    return tasks;
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static ObjectNode counts(Map<String, Long> counts) {
    ObjectNode n = Json.object();
    n.put("total", sum(counts));
    counts.forEach(n::put);
    return n;
  }
}
