package dev.runledger.web;

import dev.runledger.api.ApiContext;
import dev.runledger.api.ReportGroup;
import dev.runledger.api.RunReport;
import dev.runledger.model.Role;
import dev.runledger.model.Task;
import dev.runledger.store.ReportFilter;
import dev.runledger.store.ReportRepository;
import dev.runledger.store.TaskInRun;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * {@code /reports}: a period's runs and task outcomes per workflow, its CSV ({@code
 * /reports/export}, the API's report CSV) and its printable brief ({@code /reports/brief}).
 */
final class ReportsPages {
  static final int FAILURES = 100;

  private final ApiContext api;
  private final Templates templates;

  ReportsPages(ApiContext api, Templates templates) {
    this.api = api;
    this.templates = templates;
  }

  void register(PageRoutes pages) {
    pages.page("/reports", Role.VIEWER, this::report);
    pages.page("/reports/export", Role.VIEWER, this::export);
    pages.page("/reports/brief", Role.VIEWER, this::brief);
  }

  /** The period and project a request asks about, and the report counted for them. */
  private record Asked(String project, ReportPeriod period, RunReport report) {}

  private Asked asked(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    ReportPeriod period =
        ReportPeriod.of(
            RunsFilter.blank(ctx.queryParam("from")),
            RunsFilter.blank(ctx.queryParam("to")),
            today());
    ReportFilter filter =
        new ReportFilter(project, period.start(), period.end(), null, null, Map.of());
    return new Asked(project, period, RunReport.of(api.store(), filter));
  }

  private LocalDate today() {
    return LocalDate.ofInstant(api.clock().instant(), ZoneOffset.UTC);
  }

  private void report(Context ctx, WebSession session) {
    Asked a = asked(ctx, session);
    Chrome chrome = Chrome.of(session, "Reports", "reports", a.project());
    ReportColumns columns = ReportColumns.of(a.report().totals());
    List<ReportRow> rows = rows(a.report(), columns, chrome.projectQuery());
    List<String> labels = rows.stream().map(ReportRow::name).toList();
    String query = a.period().query(a.project());
    templates.render(
        ctx,
        "reports.jte",
        new ReportsPage(
            chrome,
            a.period(),
            ReportPeriod.presets(today(), a.period()),
            columns,
            rows,
            ReportRow.of(a.report().totals(), columns, ""),
            BarChart.of(
                "runs", labels, rows.stream().map(ReportRow::runs).toList(), columns.runStatuses()),
            BarChart.of(
                "tasks",
                labels,
                rows.stream().map(ReportRow::tasks).toList(),
                columns.taskOutcomes()),
            "/reports/export" + query,
            "/reports/brief" + query));
  }

  /** The API's report CSV for the period, as a download. */
  private void export(Context ctx, WebSession session) {
    Asked a = asked(ctx, session);
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"runledger-report-"
            + a.period().from()
            + "-"
            + a.period().to()
            + ".csv\"");
    ctx.contentType("text/csv; charset=utf-8").result(a.report().csv());
  }

  private void brief(Context ctx, WebSession session) {
    Asked a = asked(ctx, session);
    Chrome chrome = Chrome.of(session, "Brief " + a.period().label(), "reports", a.project());
    ReportColumns columns = ReportColumns.of(a.report().totals());
    List<TaskInRun> failed =
        api.store().read(tx -> tx.reports().failures(a.report().filter(), FAILURES));
    api.sealer().sealNow();
    ChainState chain = ChainState.of(api.verifier().verify());
    templates.render(
        ctx,
        "brief.jte",
        new BriefPage(
            chrome,
            a.period(),
            a.project(),
            session.principal().name(),
            Formats.absolute(api.clock().instant()),
            columns,
            rows(a.report(), columns, chrome.projectQuery()),
            ReportRow.of(a.report().totals(), columns, ""),
            a.report().decisions().stream().map(ReportsPages::decision).toList(),
            failed.stream().map(ReportsPages::failure).toList(),
            a.report().totals().tasks().getOrDefault("failed", 0L),
            chain,
            "/reports" + a.period().query(a.project())));
  }

  private static List<ReportRow> rows(
      RunReport report, ReportColumns columns, String projectQuery) {
    return report.groups().stream()
        .map((ReportGroup g) -> ReportRow.of(g, columns, projectQuery))
        .toList();
  }

  private static BriefPage.Decision decision(ReportRepository.Decision d) {
    return new BriefPage.Decision(
        Formats.absolute(d.decidedAt()),
        d.workflow() != null ? d.workflow() : d.action(),
        d.runId(),
        Links.run(d.runId()),
        d.taskName(),
        Links.task(d.runId(), d.taskName()),
        d.decision(),
        d.decidedBy(),
        d.comment());
  }

  private static BriefPage.FailureRow failure(TaskInRun t) {
    Task task = t.task();
    return new BriefPage.FailureRow(
        t.workflow() != null ? t.workflow() : t.runAction(),
        task.runId(),
        Links.run(task.runId()),
        task.name(),
        Links.task(task.runId(), task.name()),
        task.failure() == null ? "-" : task.failure().kind().wire(),
        task.failure() == null ? "no cause recorded" : task.failure().cause(),
        Formats.absolute(task.completedAt()));
  }
}
