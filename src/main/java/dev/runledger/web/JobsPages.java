package dev.runledger.web;

import dev.runledger.api.ApiContext;
import dev.runledger.model.Job;
import dev.runledger.model.JobState;
import dev.runledger.model.Role;
import dev.runledger.model.Run;
import dev.runledger.model.Task;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /jobs}: the queue's running and queued jobs, live over SSE. */
final class JobsPages {
  static final int SHOWN = 100;

  private final ApiContext api;
  private final Templates templates;
  private final LivePages live;

  JobsPages(ApiContext api, Templates templates, LivePages live) {
    this.api = api;
    this.templates = templates;
    this.live = live;
  }

  void register(PageRoutes pages) {
    pages.page("/jobs", Role.VIEWER, this::page);
    pages.page("/live/jobs", Role.VIEWER, this::stream);
  }

  private void page(Context ctx, WebSession session) {
    String project = PageRoutes.project(ctx, session);
    Chrome chrome = Chrome.of(session, "Jobs", "jobs", project);
    templates.render(
        ctx,
        "jobs.jte",
        new JobsPage(chrome, board(project, chrome.projectQuery()), liveHref(chrome)));
  }

  private void stream(Context ctx, WebSession session) throws java.io.IOException {
    String project = PageRoutes.project(ctx, session);
    String projectQuery = Chrome.of(session, "Jobs", "jobs", project).projectQuery();
    live.stream(
        ctx,
        session,
        () ->
            new LivePages.Snapshot(
                Map.of("jobs", templates.html("jobs_board.jte", board(project, projectQuery))),
                false));
  }

  private static String liveHref(Chrome chrome) {
    return "/live/jobs" + chrome.projectQuery();
  }

  /** The queue of {@code project} now: up to {@link #SHOWN} running and as many queued jobs. */
  JobsBoard board(String project, String projectQuery) {
    Instant now = api.clock().instant();
    return api.store()
        .read(
            tx -> {
              List<Job> running = tx.jobs().list(project, JobState.LEASED, null, SHOWN + 1);
              List<Job> queued = tx.jobs().list(project, JobState.QUEUED, null, SHOWN + 1);
              List<Job> shown =
                  new ArrayList<>(running.subList(0, Math.min(SHOWN, running.size())));
              shown.addAll(queued.subList(0, Math.min(SHOWN, queued.size())));
              Map<String, Task> tasks =
                  tx.tasks()
                      .findAll(
                          shown.stream().map(j -> Map.entry(j.runId(), j.taskName())).toList());
              Map<String, Run> runs =
                  tx.runs().findAll(shown.stream().map(Job::runId).distinct().toList());
              List<JobRow> runningRows = new ArrayList<>();
              List<JobRow> queuedRows = new ArrayList<>();
              Instant oldest = null;
              for (Job j : shown) {
                JobRow row =
                    JobRow.of(
                        j, tasks.get(j.runId() + "/" + j.taskName()), runs.get(j.runId()), now);
                if (j.state() == JobState.LEASED) {
                  runningRows.add(row);
                } else {
                  queuedRows.add(row);
                  if (!j.availableAt().isAfter(now)
                      && (oldest == null || j.availableAt().isBefore(oldest))) {
                    oldest = j.availableAt();
                  }
                }
              }
              return new JobsBoard(
                  runningRows,
                  running.size() > SHOWN,
                  queuedRows,
                  queued.size() > SHOWN,
                  oldest == null ? null : Formats.age(oldest, now),
                  projectQuery);
            });
  }
}
