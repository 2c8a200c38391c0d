package dev.runledger.web;

import dev.runledger.model.Run;
import dev.runledger.model.Task;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.model.WorkflowStep;
import dev.runledger.web.RunPage.LineageRow;
import dev.runledger.web.RunPage.StepView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lays out the run page's diagrams: the step graph, the task timeline and the lineage flows. */
final class Diagrams {
  private static final int NODE_W = 170;
  private static final int NODE_H = 44;
  private static final int GAP_X = 60;
  private static final int GAP_Y = 18;

  private Diagrams() {}

  /**
   * The steps as a graph, left to right: a step's column is the longest chain of {@code needs}
   * before it; without a workflow (an action run) it is one box.
   */
  static Svg dag(List<StepView> steps, WorkflowDefinition workflow) {
    Map<String, List<String>> needs = new HashMap<>();
    if (workflow != null) {
      for (WorkflowStep s : workflow.steps()) {
        needs.put(s.id(), s.needs() == null ? List.of() : s.needs());
      }
    }
    Map<String, Integer> column = new LinkedHashMap<>();
    for (StepView s : steps) {
      column(s.id(), needs, column, 0);
    }
    Map<Integer, Integer> rows = new HashMap<>();
    Map<String, int[]> at = new HashMap<>();
    List<Svg.Box> boxes = new ArrayList<>();
    int width = 0;
    int height = 0;
    for (StepView s : steps) {
      int c = column.getOrDefault(s.id(), 0);
      int r = rows.merge(c, 1, Integer::sum) - 1;
      int x = 10 + c * (NODE_W + GAP_X);
      int y = 10 + r * (NODE_H + GAP_Y);
      at.put(s.id(), new int[] {x, y});
      String[] colours = Svg.colours(s.status());
      boxes.add(
          new Svg.Box(
              x,
              y,
              NODE_W,
              NODE_H,
              colours[0],
              colours[1],
              clip(s.id(), 22),
              "#1c2430",
              "#step-" + s.id(),
              s.id() + ": " + s.status() + (s.total() > 1 ? " (" + s.total() + " tasks)" : "")));
      width = Math.max(width, x + NODE_W + 10);
      height = Math.max(height, y + NODE_H + 10);
    }
    List<Svg.Line> lines = new ArrayList<>();
    for (StepView s : steps) {
      for (String need : needs.getOrDefault(s.id(), List.of())) {
        int[] from = at.get(need);
        int[] to = at.get(s.id());
        if (from == null || to == null) {
          continue;
        }
        int x1 = from[0] + NODE_W;
        int y1 = from[1] + NODE_H / 2;
        int x2 = to[0] - 6;
        int y2 = to[1] + NODE_H / 2;
        int mid = (x1 + x2) / 2;
        lines.add(
            new Svg.Line(
                "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + ","
                    + y2,
                "#8792a2",
                true));
      }
    }
    return new Svg(
        Math.max(width, 200),
        Math.max(height, 64),
        "Steps of the run and what each needs",
        boxes,
        lines,
        List.of());
  }

  private static int column(
      String id, Map<String, List<String>> needs, Map<String, Integer> memo, int depth) {
    Integer known = memo.get(id);
    if (known != null) {
      return known;
    }
    int c = 0;
    if (depth < 64) {
      for (String n : needs.getOrDefault(id, List.of())) {
        c = Math.max(c, column(n, needs, memo, depth + 1) + 1);
      }
    }
    memo.put(id, c);
    return c;
  }

  /** The tasks of the table as bars on one time axis from the run's start. */
  static Svg gantt(Run run, List<Task> tasks, Instant now) {
    Instant start = run.startedAt() != null ? run.startedAt() : run.createdAt();
    Instant end = run.completedAt() != null ? run.completedAt() : now;
    List<Task> shown =
        tasks.stream().filter(t -> t.startedAt() != null).limit(RunView.TASK_PAGE).toList();
    for (Task t : shown) {
      if (t.startedAt().isBefore(start)) start = t.startedAt();
      Instant e = t.completedAt() != null ? t.completedAt() : now;
      if (e.isAfter(end)) end = e;
    }
    long span = Math.max(1, Duration.between(start, end).toMillis());
    int labelW = 200;
    int chartW = 760;
    int rowH = 22;
    List<Svg.Box> boxes = new ArrayList<>();
    List<Svg.Label> labels = new ArrayList<>();
    int y = 28;
    for (Task t : shown) {
      Instant e = t.completedAt() != null ? t.completedAt() : now;
      int x = labelW + (int) (Duration.between(start, t.startedAt()).toMillis() * chartW / span);
      int w = Math.max(3, (int) (Duration.between(t.startedAt(), e).toMillis() * chartW / span));
      String[] colours = Svg.colours(t.status().wire());
      labels.add(
          new Svg.Label(
              labelW - 8,
              y + 15,
              clip(t.subjectKey() != null ? t.subjectKey() : t.name(), 28),
              "end"));
      boxes.add(
          new Svg.Box(
              x,
              y + 3,
              w,
              rowH - 6,
              colours[0],
              colours[1],
              null,
              null,
              Links.task(run.id(), t.name()) + Links.projectQuery(run.project()),
              t.name() + ": " + t.status().wire() + ", " + Formats.duration(t.startedAt(), e)));
      y += rowH;
    }
    for (int i = 0; i <= 4; i++) {
      labels.add(
          new Svg.Label(
              labelW + i * chartW / 4,
              16,
              "+" + Formats.duration(Duration.ofMillis(span * i / 4)),
              i == 0 ? "start" : i == 4 ? "end" : "middle"));
    }
    List<Svg.Line> lines = new ArrayList<>();
    for (int i = 0; i <= 4; i++) {
      int x = labelW + i * chartW / 4;
      lines.add(new Svg.Line("M" + x + ",22 L" + x + "," + Math.max(y, 40), "#dde2e8", false));
    }
    return new Svg(
        labelW + chartW + 20,
        Math.max(y + 10, 50),
        "Timeline of the tasks shown",
        boxes,
        lines,
        labels);
  }

  /** Each flow as producer, file, consumer in three columns. */
  static Svg lineage(List<LineageRow> rows) {
    List<Svg.Box> boxes = new ArrayList<>();
    List<Svg.Line> lines = new ArrayList<>();
    List<Svg.Label> labels = new ArrayList<>();
    int w = 230;
    int h = 34;
    int[] xs = {10, 10 + w + 70, 10 + 2 * (w + 70)};
    labels.add(new Svg.Label(xs[0], 16, "produced by", "start"));
    labels.add(new Svg.Label(xs[1], 16, "file", "start"));
    labels.add(new Svg.Label(xs[2], 16, "consumed by", "start"));
    int y = 26;
    for (LineageRow r : rows) {
      String[] task = Svg.colours("succeeded");
      boxes.add(
          new Svg.Box(
              xs[0],
              y,
              w,
              h,
              task[0],
              task[1],
              clip(r.producer(), 34),
              "#1c2430",
              r.producerHref(),
              r.producer()));
      boxes.add(
          new Svg.Box(
              xs[1], y, w, h, "#e4eefb", "#124c8a", clip(r.file(), 34), "#1c2430", null, r.file()));
      boxes.add(
          new Svg.Box(
              xs[2],
              y,
              w,
              h,
              task[0],
              task[1],
              clip(r.consumer(), 34),
              "#1c2430",
              r.consumerHref(),
              r.consumer()));
      int my = y + h / 2;
      lines.add(
          new Svg.Line(
              "M" + (xs[0] + w) + "," + my + " L" + (xs[1] - 6) + "," + my, "#8792a2", true));
      lines.add(
          new Svg.Line(
              "M" + (xs[1] + w) + "," + my + " L" + (xs[2] - 6) + "," + my, "#8792a2", true));
      y += h + 12;
    }
    return new Svg(
        xs[2] + w + 10,
        y + 4,
        "Files across runs: who produced them and who consumed them",
        boxes,
        lines,
        labels);
  }

  static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
