package dev.runledger.bench;

import static dev.runledger.bench.BenchSupport.ACTION;
import static dev.runledger.bench.BenchSupport.BENCH;
import static dev.runledger.bench.BenchSupport.PROJECT;
import static dev.runledger.bench.BenchSupport.WORKFLOW;
import static dev.runledger.bench.BenchSupport.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.run.TriggerRequest;
import dev.runledger.model.Ids;
import dev.runledger.model.Json;
import dev.runledger.model.RunStatus;
import dev.runledger.store.LogLine;
import java.io.PrintWriter;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web UI's pages on a store of production size: fills it with {@code runs} runs of {@code
 * tasksPerRun} tasks each (rows copied from a real run, spread over 90 days, statuses, definitions,
 * people and triggers mixed), runs a real fan-out of {@code fanout} tasks, gives one task {@code
 * logLines} lines of log, then times each page over HTTP with a signed-in session: p50, p95 and max
 * of {@code requests} requests after warming up.
 */
public final class UiBench {
  /** How big the store is and how many requests each page gets. */
  public record Settings(int runs, int tasksPerRun, int fanout, int logLines, int requests) {}

  private static final int BATCH = 5_000;
  private static final int DEFINITIONS = 20;
  private static final int PEOPLE = 10;
  private static final Pattern OLDER = Pattern.compile("href=\"(/runs\\?[^\"]*cursor=[^\"]+)\"");

  private final BenchNode node;
  private final String url;
  private final String token;
  private final Settings settings;
  private final PrintWriter err;
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  public UiBench(BenchNode node, String url, String token, Settings settings, PrintWriter err) {
    this.node = node;
    this.url = url;
    this.token = token;
    this.settings = settings;
    this.err = err;
  }

  public ObjectNode run() throws Exception {
    long start = System.nanoTime();
    String template = awaitRun(trigger(ACTION, Json.object()));
    String logged = awaitRun(trigger(ACTION, Json.object()));
    fill(template);
    long filled = System.nanoTime();
    String fanout = awaitRun(trigger(WORKFLOW, Json.object().put("n", settings.fanout())));
    long fannedOut = System.nanoTime();
    log(logged);
    node.store().refreshStatistics();
    long prepared = System.nanoTime();
    err.printf(
        "filled %,d runs in %.0f s, fan-out of %,d in %.0f s%n",
        settings.runs(), (filled - start) / 1e9, settings.fanout(), (fannedOut - filled) / 1e9);
    err.flush();

    signIn();
    LocalDate mid = LocalDate.now(ZoneOffset.UTC).minusDays(45);
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("runs", "/runs");
    for (String s :
        List.of(
            "pending", "running", "completed", "completed-with-failures", "failed", "cancelled")) {
      pages.put("runs status=" + s, "/runs?status=" + s);
    }
    pages.put("runs workflow", "/runs?workflow=wf-7");
    pages.put("runs action", "/runs?action=" + ACTION);
    pages.put("runs triggeredBy", "/runs?triggeredBy=person-3");
    pages.put("runs trigger=schedule", "/runs?trigger=schedule");
    pages.put("runs one week", "/runs?since=" + mid + "&until=" + mid.plusDays(7));
    pages.put("runs review=pending", "/runs?review=pending");
    pages.put(
        "runs failed + workflow + week",
        "/runs?status=failed&workflow=wf-3&since=" + mid + "&until=" + mid.plusDays(7));
    pages.put("runs label (none match)", "/runs?label=team:nobody");
    pages.put("runs second page", secondPage());
    pages.put("run fan-out", "/runs/" + fanout);
    pages.put("run fan-out timeline", "/runs/" + fanout + "?tab=timeline");
    pages.put("run fan-out subject search", "/runs/" + fanout + "?subject=99999");
    pages.put("run fan-out failed tasks", "/runs/" + fanout + "?status=failed");
    pages.put("task log latest", "/runs/" + logged + "/tasks/" + ACTION);
    pages.put("task log first", "/runs/" + logged + "/tasks/" + ACTION + "?after=0");
    ObjectNode result = Json.object();
    result.put("store", node.storeName());
    result.put("runs", settings.runs() + 2L);
    result.put("tasks", (long) settings.runs() * settings.tasksPerRun() + settings.fanout() + 2);
    result.put("fanout", settings.fanout());
    result.put("logLines", settings.logLines());
    result.put("requestsPerPage", settings.requests());
    result.put("fillSeconds", round((prepared - start) / 1e9, 1));
    ObjectNode times = result.putObject("pagesMs");
    double worst = 0;
    for (Map.Entry<String, String> page : pages.entrySet()) {
      double[] ms = time(page.getValue());
      ObjectNode t = times.putObject(page.getKey());
      t.put("p50", round(BenchSupport.percentile(ms, 50), 1));
      t.put("p95", round(BenchSupport.percentile(ms, 95), 1));
      t.put("max", round(ms[ms.length - 1], 1));
      worst = Math.max(worst, BenchSupport.percentile(ms, 95));
      err.printf("%-32s p95 %7.1f ms%n", page.getKey(), BenchSupport.percentile(ms, 95));
      err.flush();
    }
    result.put("worstP95Ms", round(worst, 1));
    return result;
  }

  private String trigger(String name, ObjectNode parameters) {
    TriggerRequest request =
        new TriggerRequest(PROJECT, name, parameters, null, BENCH, "bench", null);
    return name.equals(WORKFLOW)
        ? node.runs().triggerWorkflow(request).run().id()
        : node.runs().triggerAction(request).run().id();
  }

  private String awaitRun(String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (System.nanoTime() < deadline) {
      RunStatus status = node.store().read(tx -> tx.runs().find(id)).orElseThrow().status();
      if (status.isTerminal()) {
        return id;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("run " + id + " did not finish within 30 minutes");
  }

  /** Copies the template run's rows into {@code runs} runs of {@code tasksPerRun} tasks. */
  private void fill(String templateId) {
    Map<String, Object> run = node.store().read(tx -> tx.bulk().ofRun("runs", templateId)).get(0);
    Map<String, Object> step =
        node.store().read(tx -> tx.bulk().ofRun("run_steps", templateId)).get(0);
    Map<String, Object> task = node.store().read(tx -> tx.bulk().ofRun("tasks", templateId)).get(0);
    long now = Instant.now().toEpochMilli() * 1000;
    long span = TimeUnit.DAYS.toMicros(90);
    int n = settings.runs();
    List<Map<String, Object>> runs = new ArrayList<>();
    List<Map<String, Object>> steps = new ArrayList<>();
    List<Map<String, Object>> tasks = new ArrayList<>();
    long lastReport = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String id = Ids.run();
      long created = now - span + span * i / n;
      String status = status(i);
      boolean workflow = i % 4 != 0;
      Map<String, Object> r = new HashMap<>(run);
      r.put("id", id);
      r.put("workflow", workflow ? "wf-" + (i % DEFINITIONS) : null);
      r.put("action", workflow ? null : ACTION);
      r.put("status", status);
      r.put("trigger_type", i % 3 == 0 ? "schedule" : i % 7 == 0 ? "event" : "manual");
      r.put("triggered_by", "person-" + (i % PEOPLE));
      r.put("initiated_by", "person-" + (i % PEOPLE));
      r.put("review_status", i % 50 == 0 ? "pending" : i % 10 == 0 ? "approved" : null);
      r.put("idempotency_key", null);
      r.put("created_at", created);
      r.put("started_at", status.equals("pending") ? null : created + 1_000);
      boolean ended = !status.equals("pending") && !status.equals("running");
      r.put("completed_at", ended ? created + 2_000_000 : null);
      runs.add(r);
      Map<String, Object> s = new HashMap<>(step);
      s.put("run_id", id);
      s.put("total", settings.tasksPerRun());
      s.put("n_succeeded", status.equals("failed") ? 0 : settings.tasksPerRun());
      s.put("n_failed", status.equals("failed") ? settings.tasksPerRun() : 0);
      steps.add(s);
      for (int j = 0; j < settings.tasksPerRun(); j++) {
        Map<String, Object> t = new HashMap<>(task);
        t.put("run_id", id);
        t.put("name", ACTION + "[" + j + "]");
        t.put("seq", j + 1);
        t.put("subject_key", String.valueOf(j));
        t.put("idempotency_key", id + "/" + j);
        t.put("status", status.equals("failed") ? "failed" : "succeeded");
        t.put("created_at", created);
        t.put("updated_at", created + 2_000_000);
        tasks.add(t);
      }
      if (tasks.size() >= BATCH || i == n - 1) {
        List<Map<String, Object>> r1 = List.copyOf(runs);
        List<Map<String, Object>> s1 = List.copyOf(steps);
        List<Map<String, Object>> t1 = List.copyOf(tasks);
        node.store()
            .writeAndWait(
                tx -> {
                  tx.bulk().insert("runs", r1);
                  tx.bulk().insert("run_steps", s1);
                  tx.bulk().insert("tasks", t1);
                  return null;
                });
        runs.clear();
        steps.clear();
        tasks.clear();
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
          err.printf("  %,d of %,d runs%n", i + 1, n);
          err.flush();
          lastReport = System.nanoTime();
        }
      }
    }
  }

  /** A mix like a real installation's: mostly completed, a few of each other status. */
  private static String status(int i) {
    int k = i % 100;
    if (k < 1) return "pending";
    if (k < 2) return "running";
    if (k < 3) return "cancelled";
    if (k < 6) return "completed-with-failures";
    if (k < 10) return "failed";
    return "completed";
  }

  /** Gives the run's task {@code logLines} lines on attempt 1. */
  private void log(String runId) {
    long at = Instant.now().toEpochMilli() * 1000;
    // numbered after the lines the attempt wrote itself, as its log buffer would have
    long written =
        node.store().read(tx -> tx.logs().tail(runId, ACTION, 1, 1)).stream()
            .mapToLong(LogLine::number)
            .max()
            .orElse(0);
    List<Map<String, Object>> lines = new ArrayList<>();
    for (int i = 1; i <= settings.logLines(); i++) {
      Map<String, Object> l = new HashMap<>();
      l.put("n", written + i);
      l.put("run_id", runId);
      l.put("task_name", ACTION);
      l.put("attempt", 1);
      l.put("at", at + i);
      l.put("stream", i % 20 == 0 ? "stderr" : "stdout");
      l.put(
          "line", "line " + i + ": \u001b[32mok\u001b[0m processed record " + (i * 7919 % 100000));
      lines.add(l);
      if (lines.size() >= BATCH * 4 || i == settings.logLines()) {
        List<Map<String, Object>> batch = List.copyOf(lines);
        node.store()
            .writeAndWait(
                tx -> {
                  tx.bulk().insert("task_logs", batch);
                  return null;
                });
        lines.clear();
      }
    }
  }

  private void signIn() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 303) {
      throw new IllegalStateException("sign-in failed: " + r.statusCode());
    }
  }

  private String secondPage() throws Exception {
    Matcher m = OLDER.matcher(get("/runs"));
    if (!m.find()) {
      throw new IllegalStateException("the runs page has no link to older runs");
    }
    return m.group(1).replace("&amp;", "&");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode());
    }
    return r.body();
  }

  /** Sorted response times of {@code path} in milliseconds, after ten not counted. */
  private double[] time(String path) throws Exception {
    for (int i = 0; i < 10; i++) {
      get(path);
    }
    double[] ms = new double[settings.requests()];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      get(path);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }
}
