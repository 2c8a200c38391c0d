package dev.runledger.web;

import java.util.List;

/**
 * The Reports page: the period and its presets, per definition runs by status and tasks by outcome
 * (as charts and tables) with the totals, and the links to the CSV and the brief.
 */
public record ReportsPage(
    Chrome chrome,
    ReportPeriod period,
    List<ReportPeriod.Preset> presets,
    ReportColumns columns,
    List<ReportRow> rows,
    ReportRow totals,
    BarChart runsChart,
    BarChart tasksChart,
    String csvHref,
    String briefHref) {}
