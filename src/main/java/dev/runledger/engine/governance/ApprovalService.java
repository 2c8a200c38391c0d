package dev.runledger.engine.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.audit.AuditLog;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.Principals;
import dev.runledger.engine.StateConflictException;
import dev.runledger.engine.run.RunAdvancer;
import dev.runledger.engine.run.RunBlueprint;
import dev.runledger.engine.run.StateChanges;
import dev.runledger.model.Approval;
import dev.runledger.model.Ids;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.model.SkipReason;
import dev.runledger.model.Task;
import dev.runledger.model.TaskStatus;
import dev.runledger.model.Timestamps;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Approvals: a principal holding the role decides a gated task (approve: it is queued; reject: it
 * is skipped), or the approval expires. Deciding twice reports the first decision.
 */
public final class ApprovalService {
  private static final int BATCH = 200;

  private final Store store;
  private final StateChanges changes;
  private final RunAdvancer advancer;
  private final AuditLog audit;
  private final Clock clock;
  private final Runnable wakeDispatcher;

  public ApprovalService(
      Store store,
      StateChanges changes,
      RunAdvancer advancer,
      AuditLog audit,
      Clock clock,
      Runnable wakeDispatcher) {
    this.store = store;
    this.changes = changes;
    this.advancer = advancer;
    this.audit = audit;
    this.clock = clock;
    this.wakeDispatcher = wakeDispatcher;
  }

  /** Thrown when the principal may not decide this approval (HTTP 403). */
  public static final class NotAllowedException extends RuntimeException {
    public NotAllowedException(String message) {
      super(message);
    }
  }

  /**
   * Decides an approval.
   *
   * @return the approval after the decision (or as first decided, when decided already)
   * @throws NotFoundException when the project holds no such approval
   * @throws NotAllowedException without the role, or for the run's own triggering principal
   * @throws StateConflictException when it expired or its run was cancelled first
   */
  public Approval decide(
      String project, String id, Principal principal, boolean approve, String comment) {
    return store.writeAndWait(
        tx -> {
          Approval approval =
              tx.approvals()
                  .find(id)
                  .filter(a -> a.project().equals(project))
                  .orElseThrow(() -> new NotFoundException("no approval " + id));
          if (!principal.has(Role.fromWire(approval.role()))) {
            throw new NotAllowedException(
                "deciding this approval needs the role " + approval.role());
          }
          if (approval.state().equals("approved") || approval.state().equals("rejected")) {
            return approval;
          }
          if (!approval.isPending()) {
            throw new StateConflictException(
                "approval " + id + " is " + approval.state() + "; it can no longer be decided");
          }
          Run run = tx.runs().find(approval.runId()).orElseThrow();
          if (!approval.allowSelfApproval() && startedBy(run, principal.name())) {
            throw new NotAllowedException(
                "the principal who triggered run "
                    + run.id()
                    + " (or began the chain of runs that led to it) may not approve its tasks");
          }
          Instant now = clock.instant();
          String state = approve ? "approved" : "rejected";
          tx.approvals().decide(id, state, principal.name(), now, comment);
          audit
              .event("approval.decided", principal.name())
              .project(project)
              .run(run.id())
              .task(approval.taskName())
              .target(id)
              .details(Json.object().put("decision", state).put("comment", comment))
              .append(tx);
          Task task = tx.tasks().find(run.id(), approval.taskName()).orElseThrow();
          if (approve) {
            changes.moveTask(tx, run, task, TaskStatus.QUEUED, t -> t, principal.name());
            tx.jobs()
                .insertAll(
                    List.of(
                        Job.queued(
                            Ids.job(),
                            run.project(),
                            run.id(),
                            task.name(),
                            now,
                            advancer.runsInline(run, task))));
            tx.afterCommit(wakeDispatcher);
          } else {
            skip(tx, run, task, SkipReason.APPROVAL_REJECTED, principal.name(), now);
          }
          return tx.approvals().find(id).orElseThrow();
        });
  }

  /**
   * Whether the principal started the run: triggered it, or is at the root of the chain of emitted
   * events and child runs that led to it (a run an event starts is triggered by the engine).
   */
  private static boolean startedBy(Run run, String principal) {
    return principal.equals(run.triggeredBy()) || principal.equals(run.initiatedBy());
  }

  /** Expires approvals whose time ran out; returns how many. */
  public int expireDue() {
    int total = 0;
    List<Approval> due;
    do {
      Instant now = clock.instant();
      due = store.read(tx -> tx.approvals().expired(now, BATCH));
      for (Approval a : due) {
        total += store.writeAndWait(tx -> expire(tx, a.id())) ? 1 : 0;
      }
    } while (due.size() == BATCH);
    return total;
  }

  private boolean expire(Tx tx, String id) {
    Approval approval = tx.approvals().find(id).orElse(null);
    Instant now = clock.instant();
    if (approval == null
        || !approval.isPending()
        || approval.expiresAt() == null
        || !approval.expiresAt().isBefore(now)) {
      return false;
    }
    tx.approvals().decide(id, "expired", Principals.ENGINE, now, null);
    Run run = tx.runs().find(approval.runId()).orElseThrow();
    audit
        .event("approval.expired", Principals.ENGINE)
        .project(run.project())
        .run(run.id())
        .task(approval.taskName())
        .target(id)
        .details(Json.object().put("expiresAt", Timestamps.format(approval.expiresAt())))
        .append(tx);
    Task task = tx.tasks().find(run.id(), approval.taskName()).orElseThrow();
    skip(tx, run, task, SkipReason.APPROVAL_EXPIRED, Principals.ENGINE, now);
    return true;
  }

  private void skip(Tx tx, Run run, Task task, SkipReason reason, String actor, Instant now) {
    changes.moveTask(
        tx,
        run,
        task,
        TaskStatus.SKIPPED,
        t ->
            t.with(
                c -> {
                  c.skipReason = reason;
                  c.completedAt = now;
                }),
        actor);
    tx.runSteps().declined(run.id(), task.step(), reason);
    advancer.advance(tx, tx.runs().find(run.id()).orElseThrow());
  }

  /** What an approver needs to decide: the run, the task and the outputs of the steps before. */
  public ObjectNode context(Tx tx, Approval approval) {
    ObjectNode context = Json.object();
    Run run = tx.runs().find(approval.runId()).orElse(null);
    Task task = tx.tasks().find(approval.runId(), approval.taskName()).orElse(null);
    if (run == null || task == null) {
      return context;
    }
    ObjectNode r = context.putObject("run");
    r.put("id", run.id());
    r.put("workflow", run.workflow());
    r.put("status", run.status().wire());
    r.put("triggeredBy", run.triggeredBy());
    r.put("initiatedBy", run.initiatedBy());
    r.set("parameters", run.parameters());
    // What fired the run (its event and data, or its schedule), so the approver sees why it runs.
    r.set("trigger", run.trigger());
    ObjectNode t = context.putObject("task");
    t.put("name", task.name());
    t.put("step", task.step());
    t.put("action", task.action());
    t.put("status", task.status().wire());
    if (task.subjectKey() != null) {
      t.putObject("subject").put("key", task.subjectKey()).set("value", task.subject());
    }
    t.set("parameters", task.parameters());
    ObjectNode steps = context.putObject("steps");
    RunBlueprint blueprint = advancer.taskPlanner().blueprint(run);
    var step = blueprint.step(task.step());
    if (step != null) {
      for (String need : step.needs()) {
        var list = steps.putObject(need).putArray("outputs");
        tx.tasks().outputsOfStep(run.id(), need).forEach(list::add);
      }
    }
    return context;
  }
}
