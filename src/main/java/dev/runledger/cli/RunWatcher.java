package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.LogText;
import dev.runledger.model.RunStatus;
import dev.runledger.model.TaskStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Follows a run to its end by polling the run and its tasks: shows its progress (on a terminal a
 * progress bar of the tasks done, with the steps under way, and a line for each step as it
 * finishes; otherwise a plain line whenever a step changes), tails the logs of tasks as they run,
 * and prints each failure's cause when it happens.
 */
final class RunWatcher {
  private static final Pattern FAILURE = Pattern.compile("^task \\S+ (attempt \\d+ )?failed");

  private final RunledgerClient client;
  private final ClientEnvironment env;
  private final PrintWriter out;
  private final PrintWriter err;

  private final Map<String, Integer> printedLogLines = new HashMap<>();
  private final Set<String> finishedLogs = new HashSet<>();
  private final Set<String> reported = new HashSet<>();
  private final Map<String, String> lastStepLine = new HashMap<>();
  private final TerminalColours colours;
  private boolean logWarningShown;
  private RunProgressBar progress;

  RunWatcher(RunledgerClient client, ClientEnvironment env, PrintWriter out, PrintWriter err) {
    this.client = client;
    this.env = env;
    this.out = out;
    this.err = err;
    this.colours = TerminalColours.of(env);
  }

  /** Watches until the run is terminal; returns 0 if it completed, 1 otherwise. */
  int watch(String runId) throws InterruptedException {
    try {
      return follow(runId);
    } finally {
      // also when a request fails: the error then starts on a line of its own
      if (progress != null) {
        progress.close();
      }
    }
  }

  private int follow(String runId) throws InterruptedException {
    String runPath = "/api/runs/" + Query.segment(runId);
    while (true) {
      JsonNode run = client.getJson(runPath, null);
      List<JsonNode> tasks = tasks(runPath);
      boolean terminal = isTerminal(Json.text(run, "status"));
      List<String> messages = new ArrayList<>();
      for (JsonNode task : tasks) {
        messages.addAll(logs(runPath, task, terminal));
        messages.addAll(events(task));
      }
      List<StepLine> steps = stepLines(tasks);
      if (env.terminal()) {
        showOnTerminal(Json.textOr(run, "id", runId), messages, steps);
      } else {
        messages.forEach(out::println);
        for (StepLine line : steps) {
          if (!line.text().equals(lastStepLine.put(line.step(), line.text()))) {
            out.println(line.text());
          }
        }
      }
      if (terminal && progress != null) {
        progress.close();
      }
      out.flush();
      if (terminal) {
        return finish(run);
      }
      Thread.sleep(env.pollInterval().toMillis());
    }
  }

  /** Messages and finished steps above the bar, and the bar redrawn. */
  private void showOnTerminal(String runId, List<String> messages, List<StepLine> steps) {
    // in hundredths of a task, so that a running task's reported percentage moves the bar
    long done = 0;
    long total = 0;
    List<String> underWay = new ArrayList<>();
    List<String> finished = new ArrayList<>();
    for (StepLine line : steps) {
      done += 100L * line.done() + line.runningPercent();
      total += 100L * line.total();
      if (line.finished()) {
        if (reported.add(line.step() + "#step-finished")) {
          finished.add(line.text());
        }
      } else if (line.started()) {
        underWay.add(line.step() + " " + line.tail());
      }
    }
    if (progress == null) {
      progress = new RunProgressBar(out, runId, total, width(), colours.enabled());
    }
    messages.forEach(m -> progress.println(FAILURE.matcher(m).find() ? colours.failure(m) : m));
    finished.forEach(progress::println);
    progress.update(done, total, String.join(", ", underWay));
  }

  private int finish(JsonNode run) {
    String status = Json.textOr(run, "status", "unknown");
    StringBuilder line =
        new StringBuilder("run ")
            .append(Json.text(run, "id"))
            .append(' ')
            .append(colours.status(status));
    List<String> counts = new ArrayList<>();
    run.path("counts")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().asLong() > 0) {
                counts.add(e.getValue().asLong() + " " + e.getKey());
              }
            });
    if (!counts.isEmpty()) {
      line.append(" (").append(String.join(", ", counts)).append(')');
    }
    if (run.hasNonNull("durationMs")) {
      line.append(" in ").append(Formats.duration(run.get("durationMs").asLong()));
    }
    String cancelReason = Json.text(run.path("cancel"), "reason");
    if (cancelReason != null) {
      line.append(": ").append(cancelReason);
    }
    out.println(line);
    out.flush();
    return "completed".equals(status) ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private List<JsonNode> tasks(String runPath) {
    List<JsonNode> tasks = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          client.getJson(runPath + "/tasks", Query.of().add("limit", 500).add("cursor", cursor));
      page.path("items").forEach(tasks::add);
      cursor = Json.text(page, "nextCursor");
    } while (cursor != null && !cursor.isEmpty());
    return tasks;
  }

  /** New log lines of a task's current attempt, each as {@code [task] line}. */
  private List<String> logs(String runPath, JsonNode task, boolean runEnded) {
    String name = Json.text(task, "name");
    String status = Json.textOr(task, "status", "");
    int attempts = task.path("attempts").size();
    boolean running = status.equals("running");
    if (name == null || (!running && attempts == 0)) {
      return List.of();
    }
    int attempt = Math.max(attempts, 1);
    String key = name + "#" + attempt;
    if (finishedLogs.contains(key)) {
      return List.of();
    }
    boolean attemptOver = !running || runEnded;
    String text;
    try {
      text =
          client.getText(
              runPath + "/tasks/" + Query.segment(name) + "/logs",
              Query.of().add("attempt", attempt));
    } catch (ApiException e) {
      if (e.status() != 404 && !logWarningShown) {
        logWarningShown = true;
        return List.of("(logs unavailable: " + e.getMessage().lines().findFirst().orElse("") + ")");
      }
      return List.of();
    } finally {
      if (attemptOver) {
        finishedLogs.add(key);
      }
    }
    // Lines end at a newline only: a carriage return inside one cannot start a forged line.
    List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n"));
    int printed = printedLogLines.getOrDefault(key, 0);
    List<String> fresh = new ArrayList<>();
    for (int i = printed; i < lines.size(); i++) {
      fresh.add(logLine(name, lines.get(i)));
    }
    printedLogLines.put(key, Math.max(printed, lines.size()));
    return fresh;
  }

  /**
   * {@code timestamp stream line} shown as {@code [task] line}, naming streams other than stdout.
   */
  static String logLine(String task, String raw) {
    String[] parts = raw.split(" ", 3);
    if (parts.length < 2) {
      return "[" + task + "] " + LogText.visible(raw);
    }
    String stream = parts[1];
    String text = LogText.visible(parts.length == 3 ? parts[2] : "");
    return stream.equals("stdout")
        ? "[" + task + "] " + text
        : "[" + task + " " + stream + "] " + text;
  }

  /** Failures and approvals, each reported once when first seen. */
  private List<String> events(JsonNode task) {
    String name = Json.text(task, "name");
    String status = Json.textOr(task, "status", "");
    List<String> messages = new ArrayList<>();
    int attempts = task.path("attempts").size();
    for (JsonNode attempt : task.path("attempts")) {
      int number = attempt.path("number").asInt();
      boolean last = number >= attempts;
      if ("failed".equals(Json.text(attempt, "status"))
          && !(last && status.equals("failed"))
          && reported.add(name + "#attempt-failed#" + number)) {
        messages.add(
            "task "
                + name
                + " attempt "
                + number
                + " failed: "
                + Json.textOr(attempt, "error", "no error recorded")
                + (last && !isTerminalTask(status) ? "; retrying" : ""));
      }
    }
    if (status.equals("failed") && reported.add(name + "#failed#" + attempts)) {
      JsonNode failure = task.path("failure");
      messages.add(
          "task "
              + name
              + " failed: "
              + Json.textOr(failure, "cause", lastAttemptError(task, "no cause recorded")));
      String hint = Json.text(failure, "hint");
      if (hint != null) {
        messages.add("  hint: " + hint);
      }
    } else if (status.equals("awaiting-approval") && reported.add(name + "#approval")) {
      messages.add("task " + name + " is awaiting approval (runledger approvals --pending)");
    } else if (status.equals("skipped") && reported.add(name + "#skipped")) {
      String reason = Json.text(task, "skipReason");
      messages.add("task " + name + " skipped" + (reason == null ? "" : ": " + reason));
    }
    return messages;
  }

  private static String lastAttemptError(JsonNode task, String fallback) {
    JsonNode attempts = task.path("attempts");
    return attempts.size() == 0
        ? fallback
        : Json.textOr(attempts.get(attempts.size() - 1), "error", fallback);
  }

  /**
   * A step's progress: {@code done} of {@code total} tasks ended, whether any has started, and the
   * tail of its line ({@code 2/3 done, 1 running} or a single task's {@code 40% rows}).
   */
  private record StepLine(
      String step, int done, int total, int runningPercent, boolean started, String tail) {
    String text() {
      return "step " + step + ": " + tail;
    }

    boolean finished() {
      return done == total;
    }
  }

  /** One line per step, in plan order. */
  private List<StepLine> stepLines(List<JsonNode> tasks) {
    Map<String, List<JsonNode>> steps = new LinkedHashMap<>();
    for (JsonNode task : tasks) {
      String step = Json.textOr(task, "step", Json.textOr(task, "name", "?"));
      steps.computeIfAbsent(step, k -> new ArrayList<>()).add(task);
    }
    List<StepLine> lines = new ArrayList<>();
    for (Map.Entry<String, List<JsonNode>> e : steps.entrySet()) {
      List<JsonNode> stepTasks = e.getValue();
      int total = stepTasks.size();
      int done = 0;
      int failed = 0;
      int running = 0;
      int runningPercent = 0;
      for (JsonNode t : stepTasks) {
        String s = Json.textOr(t, "status", "");
        if (isTerminalTask(s)) done++;
        if (s.equals("failed")) failed++;
        if (s.equals("running")) {
          running++;
          runningPercent +=
              Math.max(0, Math.min(100, t.path("job").path("progress").path("percent").asInt(0)));
        }
      }
      JsonNode progress = stepTasks.get(0).path("job").path("progress");
      boolean percent = total == 1 && running == 1 && progress.hasNonNull("percent");
      StringBuilder tail = new StringBuilder();
      if (percent) {
        tail.append(progress.get("percent").asInt()).append('%');
        String message = Json.text(progress, "message");
        if (message != null) tail.append(' ').append(message);
      } else {
        tail.append(done).append('/').append(total).append(" done");
        if (running > 0 && done < total) tail.append(", ").append(running).append(" running");
        if (failed > 0) tail.append(", ").append(failed).append(" failed");
      }
      lines.add(
          new StepLine(
              e.getKey(), done, total, runningPercent, running > 0 || done > 0, tail.toString()));
    }
    return lines;
  }

  /** The bar's width: {@code $COLUMNS} less one, else 100. */
  private int width() {
    String columns = env.get("COLUMNS");
    if (columns != null) {
      try {
        return Math.max(20, Integer.parseInt(columns) - 1);
      } catch (NumberFormatException ignored) {
        // keep the default
      }
    }
    return 100;
  }

  private static boolean isTerminal(String runStatus) {
    if (runStatus == null) {
      return false;
    }
    try {
      return RunStatus.fromWire(runStatus).isTerminal();
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  private static boolean isTerminalTask(String taskStatus) {
    try {
      return TaskStatus.fromWire(taskStatus).isTerminal();
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }
}
