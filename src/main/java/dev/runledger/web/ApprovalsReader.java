package dev.runledger.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.api.ApiContext;
import dev.runledger.model.Approval;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the approvals page: the pending approvals with their context, the decided ones. */
final class ApprovalsReader {
  static final int PAGE = 25;

  /** How many pending approvals the page shows at most. */
  static final int PENDING = 200;

  private final ApiContext api;

  ApprovalsReader(ApiContext api) {
    this.api = api;
  }

  private record Pending(Approval approval, Run run, Task task, JsonNode context) {}

  private record Read(
      List<Pending> pending,
      List<Approval> decided,
      java.util.Map<String, Run> runs,
      String next) {}

  ApprovalsPage page(Chrome chrome, Principal principal, String cursor) {
    String project = chrome.project();
    Read read =
        api.store()
            .read(
                tx -> {
                  List<Pending> pending = new ArrayList<>();
                  for (Approval a : tx.approvals().list(project, "pending", null, PENDING)) {
                    Run run = tx.runs().find(a.runId()).orElse(null);
                    Task task = tx.tasks().find(a.runId(), a.taskName()).orElse(null);
                    if (run != null && task != null) {
                      pending.add(new Pending(a, run, task, api.approvals().context(tx, a)));
                    }
                  }
                  // Decided ones, newest first: pending ones of the same listing are passed over.
                  List<Approval> decided = new ArrayList<>();
                  String before = cursor;
                  boolean more = true;
                  while (more && decided.size() <= PAGE) {
                    List<Approval> batch = tx.approvals().list(project, null, before, PAGE * 2);
                    more = batch.size() == PAGE * 2;
                    for (Approval a : batch) {
                      before = a.id();
                      if (!a.isPending()) {
                        decided.add(a);
                      }
                    }
                  }
                  String next = decided.size() > PAGE ? decided.get(PAGE - 1).id() : null;
                  List<Approval> shown = decided.subList(0, Math.min(PAGE, decided.size()));
                  var runs = tx.runs().findAll(shown.stream().map(Approval::runId).toList());
                  return new Read(pending, shown, runs, next);
                });
    Instant now = api.clock().instant();
    List<ApprovalsPage.Card> inbox = new ArrayList<>();
    List<ApprovalsPage.Card> others = new ArrayList<>();
    for (Pending p : read.pending()) {
      ApprovalsPage.Card card = card(chrome, principal, p, now);
      (card.blockedBy() == null ? inbox : others).add(card);
    }
    List<ApprovalsPage.Decided> decided = new ArrayList<>();
    for (Approval a : read.decided()) {
      decided.add(
          new ApprovalsPage.Decided(
              a.id(),
              a.state(),
              a.runId(),
              Links.run(a.runId()) + chrome.projectQuery(),
              read.runs().containsKey(a.runId())
                  ? read.runs().get(a.runId()).definitionName()
                  : a.runId(),
              a.taskName(),
              a.decidedBy(),
              Formats.relative(a.decidedAt(), now),
              Formats.absolute(a.decidedAt()),
              Formats.iso(a.decidedAt()),
              a.comment()));
    }
    String next =
        read.next() == null
            ? null
            : "/approvals?"
                + (chrome.projectQuery().isEmpty() ? "" : chrome.projectQuery().substring(1) + "&")
                + "cursor="
                + Links.query(read.next());
    return new ApprovalsPage(chrome, inbox, others, decided, next, cursor != null);
  }

  private ApprovalsPage.Card card(Chrome chrome, Principal principal, Pending p, Instant now) {
    Approval a = p.approval();
    Run run = p.run();
    Task task = p.task();
    String base = "/approvals/" + Links.segment(a.id());
    return new ApprovalsPage.Card(
        a.id(),
        run.id(),
        Links.run(run.id()) + chrome.projectQuery(),
        run.status().wire(),
        run.definitionName(),
        CatalogReader.href(run.definitionKind(), run.definitionName(), run.project()),
        task.step(),
        task.name(),
        task.action(),
        task.action() == null ? null : CatalogReader.href("action", task.action(), run.project()),
        instructions(run, task),
        task.subjectKey(),
        task.subject() == null ? null : Formats.json(task.subject()),
        Formats.json(p.context().path("task").path("parameters")),
        Formats.json(p.context().path("run").path("parameters")),
        run.initiatedBy() != null && !run.initiatedBy().equals(run.triggeredBy())
            ? run.triggeredBy() + " (for " + run.initiatedBy() + ")"
            : run.triggeredBy(),
        Formats.relative(a.requestedAt(), now),
        Formats.absolute(a.requestedAt()),
        Formats.iso(a.requestedAt()),
        a.expiresAt() == null ? null : Formats.relative(a.expiresAt(), now),
        Formats.absolute(a.expiresAt()),
        Formats.iso(a.expiresAt()),
        a.role(),
        blockedBy(principal, a, run),
        base + "/approve" + chrome.projectQuery(),
        base + "/reject" + chrome.projectQuery());
  }

  /**
   * Why this person may not decide it (the rules {@code ApprovalService.decide} enforces, said
   * beforehand), or null.
   */
  private static String blockedBy(Principal principal, Approval a, Run run) {
    if (!principal.has(Role.fromWire(a.role()))) {
      return "needs the role " + a.role();
    }
    boolean started =
        principal.name().equals(run.triggeredBy()) || principal.name().equals(run.initiatedBy());
    if (started && !a.allowSelfApproval()) {
      return "you started this run; someone else approves it";
    }
    return null;
  }

  /** The gated action's description, which says what approving lets happen; null if none. */
  private String instructions(Run run, Task task) {
    if (task.action() == null) {
      return null;
    }
    try {
      return api.definitions()
          .action(run.project(), task.action(), task.actionRevision())
          .description();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
