package dev.runledger.web;

import dev.runledger.api.ApiContext;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.store.RunFilter;
import dev.runledger.store.RunRepository;
import dev.runledger.store.RunRepository.RunSort;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /runs}: the chips, the filters, the rows (live while any is running), the pages. */
final class RunsPages {
  static final int PAGE = 50;

  private final ApiContext api;
  private final Templates templates;
  private final LivePages live;

  RunsPages(ApiContext api, Templates templates, LivePages live) {
    this.api = api;
    this.templates = templates;
    this.live = live;
  }

  void register(PageRoutes pages) {
    pages.page("/runs", Role.VIEWER, this::list);
    pages.page("/live/runs", Role.VIEWER, this::stream);
  }

  /** One page of runs with the link to the next. */
  record Listing(List<RunRow> rows, String cursor) {}

  private void list(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    RunsFilter filter = RunsFilter.of(ctx, project);
    String cursor = ctx.queryParam("cursor");
    Listing listing = listing(filter.toStore(), cursor);
    List<RunsPage.Chip> chips = new ArrayList<>();
    chips.add(new RunsPage.Chip("All", "/runs" + filter.withStatus(null), filter.status() == null));
    for (String s : RunsFilter.CHIPS) {
      chips.add(new RunsPage.Chip(s, "/runs" + filter.withStatus(s), s.equals(filter.status())));
    }
    boolean running = listing.rows().stream().anyMatch(RunRow::live);
    templates.render(
        ctx,
        "runs.jte",
        new RunsPage(
            Chrome.of(session, "Runs", "runs", project),
            chips,
            filter,
            listing.rows(),
            listing.cursor() == null
                ? null
                : "/runs" + filter.query(filter.status(), listing.cursor()),
            "/runs" + filter.query(filter.status(), cursor),
            running || cursor == null ? "/live/runs" + filter.query(filter.status(), cursor) : null,
            filter.any() || filter.status() != null));
  }

  /** The rows of the same view, sent again whenever they change. */
  private void stream(Context ctx, WebSession session) throws java.io.IOException {
    String project = PageRoutes.project(ctx, session);
    RunsFilter filter = RunsFilter.of(ctx, project);
    RunFilter store = filter.toStore();
    String cursor = ctx.queryParam("cursor");
    live.stream(
        ctx,
        session,
        () -> {
          Listing l = listing(store, cursor);
          return new LivePages.Snapshot(
              Map.of("rows", templates.html("runs_rows.jte", new RunsRows(l.rows()))), false);
        });
  }

  Listing listing(RunFilter filter, String cursor) {
    Instant now = api.clock().instant();
    return api.store()
        .read(
            tx -> {
              List<Run> runs = tx.runs().list(filter, RunSort.CREATED_AT, cursor, PAGE + 1);
              List<Run> shown = runs.subList(0, Math.min(PAGE, runs.size()));
              var counts = tx.runSteps().forRuns(shown.stream().map(Run::id).toList());
              List<RunRow> rows = new ArrayList<>();
              for (Run r : shown) {
                rows.add(RunRow.of(r, dev.runledger.store.RunStep.sum(counts.get(r.id())), now));
              }
              String next =
                  runs.size() > PAGE
                      ? RunRepository.cursorAfter(runs.get(PAGE - 1), RunSort.CREATED_AT)
                      : null;
              return new Listing(rows, next);
            });
  }
}
