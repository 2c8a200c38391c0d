package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Databases;
import dev.runledger.testing.Processes;
import dev.runledger.testing.Runs;
import dev.runledger.testing.ServerProcess;
import dev.runledger.testing.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real server as a child process, killed with {@code kill -9} or stopped with SIGTERM, then
 * started again on the same store: nothing acknowledged is lost and every run finishes.
 */
abstract class ServerCrashContract {
  private static final int RUNS = 20;

  private Path dataDir;
  private String db;
  private ServerProcess server;
  private final Set<String> runIds = new HashSet<>();

  abstract StoreKind store();

  @BeforeEach
  void prepare() throws IOException {
    dataDir = Files.createTempDirectory("runledger-crash");
    db = store() == StoreKind.POSTGRESQL ? Databases.freshPostgres() : null;
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (server != null) {
      server.close();
    }
    if (!runIds.isEmpty()) {
      Processes.killAll(Processes.withEnvironment("RUNLEDGER_RUN_ID", runIds));
    }
    if (db != null) {
      Databases.drop(db);
    }
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private ServerProcess start() {
    server = ServerProcess.start(dataDir, db, "--workers", "4");
    return server;
  }

  private static void define(ApiClient api, String name, String yaml) {
    ApiClient.Response r = api.putYaml("/api/actions/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private String trigger(ApiClient api, String action) {
    ApiClient.Response r = api.post("/api/actions/" + action + "/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    String id = r.json().get("id").asText();
    runIds.add(id);
    return id;
  }

  @Test
  void kill_9_loses_nothing_acknowledged_and_every_run_finishes_after_restart() {
    ApiClient beforeKill = start().admin();
    // Every first attempt leaves a background child behind: the executor kills it when the attempt
    // ends, but after a kill -9 of the server nobody does unless the next start cleans up.
    define(
        beforeKill,
        "work",
        """
        kind: action
        name: work
        command:
          run: [bash, -c, 'if [ "$RUNLEDGER_ATTEMPT" = 1 ]; then sleep 120 & fi; sleep 1.5', crash-probe]
        """);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      ids.add(trigger(beforeKill, "work"));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> count(beforeKill, "running") >= 4 && count(beforeKill, "pending") > 0);

    Snapshot before = snapshot(beforeKill, ids);
    long serverPid = server.pid();
    assertThat(ProcessHandle.of(serverPid).flatMap(h -> h.info().command()).orElse(""))
        .as("the child is the java process itself")
        .endsWith("java");
    server.killHard();
    assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

    ApiClient api = start().admin();
    for (String id : ids) {
      JsonNode run = Runs.awaitTerminal(api, id, Duration.ofSeconds(40));
      assertThat(run.get("status").asText()).as(id).isEqualTo("completed");
    }
    Snapshot after = snapshot(api, ids);
    assertThat(after.runs).isEqualTo(before.runs);
    assertThat(after.jobs).containsAllEntriesOf(before.jobs);
    assertThat(after.tasks).containsAll(before.tasks);
    assertThat(after.auditIds).containsAll(before.auditIds);

    int lost = 0;
    for (String id : ids) {
      JsonNode task = api.get("/api/runs/" + id + "/tasks/work").json();
      JsonNode attempts = task.get("attempts");
      JsonNode first = attempts.get(0);
      if (first.path("error").asText("").contains("worker lost")) {
        lost++;
        assertThat(first.get("status").asText()).isEqualTo("failed");
        assertThat(attempts.size()).as("a lost attempt is retried: " + task).isGreaterThan(1);
        assertThat(attempts.get(attempts.size() - 1).get("status").asText()).isEqualTo("succeeded");
      } else {
        assertThat(attempts).as(task.toString()).hasSize(1);
      }
    }
    assertThat(lost).as("attempts running at the kill").isPositive();
    assertThat(before.running).isPositive();

    JsonNode verify = api.get("/api/audit/verify").json();
    assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
    assertThat(verify.get("events").asLong()).isGreaterThanOrEqualTo(before.auditIds.size());

    assertThat(Processes.withEnvironment("RUNLEDGER_RUN_ID", runIds))
        .as("commands of the killed server left running")
        .isEmpty();
  }

  @Test
  void sigterm_lets_the_running_attempt_finish_records_it_and_exits_0() {
    ApiClient api = start().admin();
    define(
        api,
        "finish-me",
        """
        kind: action
        name: finish-me
        command:
          run: [bash, -c, 'sleep 2; echo "done=yes" >> "$RUNLEDGER_OUTPUT"']
        """);
    String id = trigger(api, "finish-me");
    Runs.awaitTask(api, id, "finish-me", "running");
    long started = System.nanoTime();
    server.terminate();
    int exit = server.waitFor(25);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(exit).as(server.output()).isZero();
    assertThat(tookMs).as("exits once the attempt is done, within the grace").isLessThan(20_000);
    assertThat(server.output()).as("took " + tookMs).contains("Stopping");

    api = start().admin();
    JsonNode task = api.get("/api/runs/" + id + "/tasks/finish-me").json();
    assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("succeeded");
    assertThat(task.get("attempts")).hasSize(1);
    assertThat(task.get("attempts").get(0).get("status").asText()).isEqualTo("succeeded");
    assertThat(task.get("result").get("outputs").get("done").asText()).isEqualTo("yes");
    assertThat(api.get("/api/runs/" + id).json().get("status").asText()).isEqualTo("completed");
  }

  private static int count(ApiClient api, String status) {
    return api.get("/api/runs?action=work&limit=500&status=" + status).json().get("items").size();
  }

  private record Snapshot(
      Set<String> runs,
      Set<String> tasks,
      Map<String, String> jobs,
      Set<String> auditIds,
      int running) {}

  private static Snapshot snapshot(ApiClient api, List<String> ids) {
    Set<String> runs = new HashSet<>();
    for (JsonNode run : api.get("/api/runs?action=work&limit=500").json().get("items")) {
      runs.add(run.get("id").asText());
    }
    Set<String> tasks = new HashSet<>();
    Map<String, String> jobs = new HashMap<>();
    int running = 0;
    for (String id : ids) {
      for (JsonNode task : api.get("/api/runs/" + id + "/tasks").json().get("items")) {
        tasks.add(id + "/" + task.get("name").asText());
        if (task.get("status").asText().equals("running")) {
          running++;
        }
        JsonNode job = task.path("job");
        if (job.hasNonNull("id")) {
          jobs.put(id + "/" + task.get("name").asText(), job.get("id").asText());
        }
      }
    }
    Set<String> audit = new HashSet<>();
    for (String line : api.get("/api/audit?format=jsonl").text().split("\n")) {
      if (!line.isBlank()) {
        audit.add(dev.runledger.model.Json.read(line).get("id").asText());
      }
    }
    return new Snapshot(runs, tasks, jobs, audit, running);
  }
}
