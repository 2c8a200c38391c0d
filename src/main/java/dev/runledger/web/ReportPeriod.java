package dev.runledger.web;

import dev.runledger.api.RunReport;
import dev.runledger.model.InvalidInputException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The period a report covers: whole days, {@code from} to {@code to} inclusive (UTC), as the API's
 * {@code GET /api/reports/runs?from=&to=} takes dates. Without dates, this month.
 */
public record ReportPeriod(LocalDate from, LocalDate to) {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

  /** A preset period: its name and its dates. */
  public record Preset(String label, ReportPeriod period, boolean active) {}

  static ReportPeriod of(String from, String to, LocalDate today) {
    if (from == null && to == null) {
      return new ReportPeriod(
          today.withDayOfMonth(1), today.with(TemporalAdjusters.lastDayOfMonth()));
    }
    LocalDate f = date("from", from == null ? to : from);
    LocalDate t = date("to", to == null ? from : to);
    if (t.isBefore(f)) {
      throw new InvalidInputException(
          "to", "the period ends (" + t + ") before it starts (" + f + ")");
    }
    return new ReportPeriod(f, t);
  }

  private static LocalDate date(String field, String text) {
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(
          field, field + " is a date such as 2026-10-01, not '" + text + "'");
    }
  }

  /** This week, this and last month, this and last quarter, relative to {@code today}. */
  static List<Preset> presets(LocalDate today, ReportPeriod current) {
    LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    LocalDate month = today.withDayOfMonth(1);
    LocalDate quarter =
        LocalDate.of(today.getYear(), (today.get(IsoFields.QUARTER_OF_YEAR) - 1) * 3 + 1, 1);
    List<ReportPeriod> periods =
        List.of(
            new ReportPeriod(monday, monday.plusDays(6)),
            new ReportPeriod(month, month.plusMonths(1).minusDays(1)),
            new ReportPeriod(month.minusMonths(1), month.minusDays(1)),
            new ReportPeriod(quarter, quarter.plusMonths(3).minusDays(1)),
            new ReportPeriod(quarter.minusMonths(3), quarter.minusDays(1)));
    String[] labels = {"This week", "This month", "Last month", "This quarter", "Last quarter"};
    List<Preset> presets = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      presets.add(new Preset(labels[i], periods.get(i), periods.get(i).equals(current)));
    }
    return presets;
  }

  Instant start() {
    return RunReport.bound("from", from.toString(), false);
  }

  Instant end() {
    return RunReport.bound("to", to.toString(), true);
  }

  public long days() {
    return ChronoUnit.DAYS.between(from, to) + 1;
  }

  /** {@code 92 days}, {@code 1 day}. */
  public String daysText() {
    return days() == 1 ? "1 day" : days() + " days";
  }

  /** {@code 1 Oct 2026 – 31 Dec 2026}, or {@code 4 Dec 2026} for one day. */
  public String label() {
    return from.equals(to) ? DAY.format(from) : DAY.format(from) + " – " + DAY.format(to);
  }

  /** {@code ?from=2026-10-01&to=2026-12-31} (and the project, when not the default). */
  public String query(String project) {
    return "?from="
        + from
        + "&to="
        + to
        + ("default".equals(project) ? "" : "&project=" + Links.query(project));
  }
}
