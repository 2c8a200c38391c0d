package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.app.EvidenceConfig;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Artifacts, evidence and lineage end to end on each store. */
abstract class ArtifactContract {
  private TestServer server;
  private ApiClient api;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store());
    api = server.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void put(String kind, String name, String yaml) {
    ApiClient.Response r = api.putYaml("/api/" + kind + "s/" + name, yaml);
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  private JsonNode runAction(String action, Map<String, Object> parameters) {
    ApiClient.Response r =
        api.post("/api/actions/" + action + "/trigger", Map.of("parameters", parameters));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return Runs.awaitTerminal(api, r.json().get("id").asText());
  }

  private static String sha256sum(Path file) throws Exception {
    Process p = new ProcessBuilder("sha256sum", file.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return "sha256:" + out.substring(0, 64);
  }

  private static final String PRODUCE =
      """
      kind: action
      name: produce
      command:
        script: |
          mkdir -p charts
          printf 'region,total\\nnorth,17\\nsouth,4\\n' > data.csv
          printf 'chart' > charts/one.png
          printf 'chart' > charts/two.png
          ln -s /etc/hostname leak.txt
          echo "csv=$(sha256sum data.csv | cut -d' ' -f1)" >> "$RUNLEDGER_OUTPUT"
          echo "png=$(sha256sum charts/one.png | cut -d' ' -f1)" >> "$RUNLEDGER_OUTPUT"
        outputs: {files: [data.csv, "charts/*.png", "*.txt"]}
      """;

  @Test
  void output_hashes_equal_sha256sum_identical_outputs_are_stored_once_and_evidence_is_recorded()
      throws Exception {
    put("action", "produce", PRODUCE);
    JsonNode first = runAction("produce", Map.of());
    JsonNode second = runAction("produce", Map.of());
    assertThat(first.get("status").asText()).isEqualTo("completed");
    assertThat(second.get("status").asText()).isEqualTo("completed");

    String runId = first.get("id").asText();
    JsonNode task = api.get("/api/runs/" + runId + "/tasks/produce").json();
    JsonNode outputs = task.get("result").get("outputs");
    String csv = "sha256:" + outputs.get("csv").asText();
    String png = "sha256:" + outputs.get("png").asText();

    JsonNode files = api.get("/api/runs/" + runId + "/files").json().get("items");
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    files.forEach(f -> byName.put(f.get("name").asText(), f));
    // The symlink pointing outside the working directory is not followed.
    assertThat(byName).containsOnlyKeys("data.csv", "charts/one.png", "charts/two.png");
    assertThat(byName.get("data.csv").get("sha256").asText()).isEqualTo(csv);
    assertThat(byName.get("data.csv").get("size").asLong()).isEqualTo(30);
    assertThat(byName.get("data.csv").get("mediaType").asText()).isEqualTo("text/csv");
    assertThat(byName.get("data.csv").get("direction").asText()).isEqualTo("produced");
    assertThat(byName.get("data.csv").get("task").asText()).isEqualTo("produce");
    assertThat(byName.get("charts/one.png").get("sha256").asText()).isEqualTo(png);
    assertThat(byName.get("charts/two.png").get("sha256").asText()).isEqualTo(png);

    ApiClient.Response download = api.get("/api/files/" + csv.substring(7));
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.text()).isEqualTo("region,total\nnorth,17\nsouth,4\n");
    assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(download.header("Content-Disposition")).startsWith("attachment;");
    Path copy = Files.createTempFile("download", ".csv");
    Files.writeString(copy, download.text());
    assertThat(sha256sum(copy)).isEqualTo(csv);
    assertThat(api.get("/api/files/" + csv).status()).isEqualTo(200);
    assertThat(api.get("/api/files/" + "0".repeat(64)).status()).isEqualTo(404);
    assertThat(api.get("/api/files/not-a-digest").status()).isEqualTo(400);

    if (store() == StoreKind.SQLITE) {
      // Two runs, three files each, two distinct contents: two blobs.
      Path blobs = server.dataDir().resolve("blobs/sha256");
      try (Stream<Path> walk = Files.walk(blobs)) {
        List<Path> stored = walk.filter(Files::isRegularFile).toList();
        assertThat(stored).hasSize(2);
        assertThat(blobs.resolve(csv.substring(7, 9)).resolve(csv.substring(9))).exists();
      }
    }

    JsonNode evidence = task.get("evidence");
    assertThat(evidence.get("command").get(0).asText()).endsWith("/bash");
    assertThat(evidence.get("command").get(1).asText()).isEqualTo("-eu");
    assertThat(evidence.get("script").asText()).contains("printf 'chart' > charts/one.png");
    JsonNode executable = evidence.get("executable");
    assertThat(executable.get("sha256").asText())
        .isEqualTo(sha256sum(Path.of(executable.get("path").asText())));
    assertThat(executable.get("version").asText()).contains("bash");
    assertThat(evidence.get("runtime").get("jvm").asText())
        .contains(System.getProperty("java.version"));
    assertThat(evidence.get("exitCode").asInt()).isZero();
    assertThat(evidence.get("host").asText()).isNotBlank();
    assertThat(evidence.get("startedAt").asText()).isNotBlank();
    assertThat(evidence.get("outputs")).hasSize(3);
    assertThat(evidence.get("inputs")).isEmpty();
    assertThat(evidence.get("outputValues").get("csv").asText()).isEqualTo(csv.substring(7));
  }

  @Test
  void inputs_are_placed_from_an_earlier_step_and_lineage_spans_runs() throws Exception {
    put("action", "produce", PRODUCE);
    put(
        "action",
        "summarize",
        """
        kind: action
        name: summarize
        inputs: {type: object, required: [data], properties: {data: {type: string}}}
        command:
          script: |
            echo "lines=$(wc -l < input.csv)" >> "$RUNLEDGER_OUTPUT"
            echo "sum=$(sha256sum input.csv | cut -d' ' -f1)" >> "$RUNLEDGER_OUTPUT"
            wc -l < input.csv > count.txt
          inputs: {files: [{from: "${{ inputs.data }}", as: input.csv}]}
          outputs: {files: [count.txt]}
        """);
    put(
        "workflow",
        "pipeline",
        """
        kind: workflow
        name: pipeline
        steps:
          - id: extract
            uses: produce
          - id: summarize
            needs: [extract]
            uses: summarize
            with: {data: "${{ steps.extract.files['data.csv'] }}"}
        """);
    ApiClient.Response r = api.post("/api/workflows/pipeline/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    JsonNode run = Runs.awaitTerminal(api, r.json().get("id").asText());
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
    String runId = run.get("id").asText();

    JsonNode summarize = api.get("/api/runs/" + runId + "/tasks/summarize").json();
    String csv = summarize.get("parameters").get("data").asText();
    assertThat(csv).startsWith("sha256:");
    assertThat(summarize.get("result").get("outputs").get("lines").asText()).isEqualTo("3");
    assertThat("sha256:" + summarize.get("result").get("outputs").get("sum").asText())
        .isEqualTo(csv);
    JsonNode inputs = summarize.get("evidence").get("inputs");
    assertThat(inputs).hasSize(1);
    assertThat(inputs.get(0).get("name").asText()).isEqualTo("input.csv");
    assertThat(inputs.get(0).get("sha256").asText()).isEqualTo(csv);

    JsonNode lineage = api.get("/api/runs/" + runId + "/lineage").json();
    List<String> edges = new ArrayList<>();
    lineage
        .get("edges")
        .forEach(
            e ->
                edges.add(
                    e.get("from").asText()
                        + " -"
                        + e.get("type").asText()
                        + "-> "
                        + e.get("to").asText()));
    assertThat(edges)
        .contains(
            runId + "/extract -produced-> " + csv, csv + " -consumed-> " + runId + "/summarize");
    assertThat(lineage.get("nodes").findValuesAsText("type")).contains("artifact", "task");

    // A second run consumes the same artifact by its hash.
    JsonNode other = runAction("summarize", Map.of("data", csv));
    assertThat(other.get("status").asText()).isEqualTo("completed");
    String otherId = other.get("id").asText();

    JsonNode across = api.get("/api/files/" + csv.substring(7) + "/lineage").json();
    assertThat(across.get("producedBy").findValuesAsText("runId")).containsExactly(runId);
    assertThat(across.get("consumedBy").findValuesAsText("runId"))
        .containsExactlyInAnyOrder(runId, otherId);
    assertThat(across.get("artifact").get("name").asText()).isEqualTo("data.csv");

    // Not an artifact of this project: the attempt fails, naming why.
    JsonNode unknown = runAction("summarize", Map.of("data", "sha256:" + "ab".repeat(32)));
    assertThat(unknown.get("status").asText()).isEqualTo("failed");
    JsonNode failed =
        api.get("/api/runs/" + unknown.get("id").asText() + "/tasks/summarize").json();
    assertThat(failed.get("failure").get("cause").asText()).contains("no artifact");
  }

  @Test
  void every_traversal_form_is_rejected_at_save_or_at_run_time() {
    for (String bad : List.of("/etc/passwd", "../escape", "a/../../escape", "C:/x")) {
      ApiClient.Response r =
          api.putYaml(
              "/api/actions/bad",
              """
              kind: action
              name: bad
              command:
                run: [true]
                outputs: {files: ["%s"]}
              """
                  .formatted(bad));
      assertThat(r.status()).as(bad).isEqualTo(400);
    }
    put(
        "action",
        "named",
        """
        kind: action
        name: named
        inputs: {type: object, properties: {name: {type: string}}}
        command:
          run: [touch, ok.txt]
          outputs: {files: ["${{ inputs.name }}"]}
        """);
    for (String bad :
        List.of(
            "../escape",
            "/etc/hostname",
            "a\\\\..\\\\b",
            "x\u0000y",
            "%2e%2e/escape",
            "..%2fescape",
            "%252e%252e%252fescape",
            "sub/%2E%2E/%2E%2E/escape")) {
      JsonNode run = runAction("named", Map.of("name", bad));
      assertThat(run.get("status").asText()).as(bad).isEqualTo("failed");
      JsonNode task = api.get("/api/runs/" + run.get("id").asText() + "/tasks/named").json();
      assertThat(task.get("failure").get("kind").asText()).as(bad).isEqualTo("deterministic");
      assertThat(task.get("failure").get("cause").asText()).as(bad).contains("outputs.files");
    }
    JsonNode ok = runAction("named", Map.of("name", "./ok.txt"));
    assertThat(ok.get("status").asText()).isEqualTo("completed");
    JsonNode files = api.get("/api/runs/" + ok.get("id").asText() + "/files").json();
    assertThat(files.get("items").get(0).get("name").asText()).isEqualTo("ok.txt");
  }

  private void restartWithLimits(long perFile, long perRun) {
    server.close();
    server =
        TestServer.start(
            store(), c -> c.withEvidence(new EvidenceConfig(null, null, perFile, perRun)));
    api = server.admin();
  }

  private static String sha256Of(byte[] bytes) throws Exception {
    return "sha256:"
        + java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private java.util.Optional<dev.runledger.store.BlobRepository.BlobInfo> blob(String sha) {
    return server.node().store().read(tx -> tx.blobs().find(sha));
  }

  /** Neither a blob row nor (on SQLite) a blob file exists for the content. */
  private void assertNotStored(String sha) {
    assertThat(blob(sha)).as(sha).isEmpty();
    Path file = server.dataDir().resolve("blobs/sha256").resolve(sha.substring(7, 9));
    assertThat(file.resolve(sha.substring(9))).doesNotExist();
  }

  private JsonNode task(JsonNode run, String name) {
    return api.get("/api/runs/" + run.get("id").asText() + "/tasks/" + name).json();
  }

  @Test
  void an_output_file_named_with_a_secret_is_stored_masked_and_a_name_with_a_newline_fails()
      throws Exception {
    String secret = "s3cr3t-file-token";
    assertThat(api.put("/api/secrets/FILE_TOKEN", Map.of("value", secret)).status()).isEqualTo(201);
    put(
        "action",
        "named",
        """
        kind: action
        name: named
        command:
          script: |
            printf 'report' > "report-$TOKEN.txt"
          env: {TOKEN: "${{ secrets.FILE_TOKEN }}"}
          outputs: {files: ["report-*.txt"]}
        """);
    put(
        "action",
        "forged",
        """
        kind: action
        name: forged
        command:
          script: |
            printf 'x' > "$(printf 'a\\n2001-01-01T00:00:00.000000Z stderr FORGED.txt')"
          outputs: {files: ["*.txt"]}
        """);

    JsonNode named = runAction("named", Map.of());
    JsonNode forged = runAction("forged", Map.of());

    assertThat(named.get("status").asText()).isEqualTo("completed");
    JsonNode files = api.get("/api/runs/" + named.get("id").asText() + "/files").json();
    assertThat(files.get("items")).hasSize(1);
    assertThat(files.get("items").get(0).get("name").asText()).isEqualTo("report-***.txt");
    assertThat(files.toString()).doesNotContain(secret);
    assertThat(task(named, "named").toString()).doesNotContain(secret);

    assertThat(forged.get("status").asText()).isEqualTo("failed");
    JsonNode failure = task(forged, "forged").get("failure");
    assertThat(failure.get("kind").asText()).isEqualTo("deterministic");
    assertThat(failure.get("cause").asText()).contains("control character");
    assertThat(api.get("/api/runs/" + forged.get("id").asText() + "/files").json().get("items"))
        .isEmpty();
    String log = api.get("/api/runs/" + forged.get("id").asText() + "/tasks/forged/logs").text();
    assertThat(log.lines()).noneMatch(line -> line.startsWith("2001-01-01"));
  }

  @Test
  void a_file_over_the_per_file_limit_fails_the_task_and_nothing_is_stored() throws Exception {
    restartWithLimits(1000, 1_000_000);
    put(
        "action",
        "big",
        """
        kind: action
        name: big
        command:
          script: |
            printf 'small' > small.txt
            head -c 1001 /dev/zero > big.bin
          outputs: {files: [small.txt, big.bin]}
        """);

    JsonNode run = runAction("big", Map.of());

    assertThat(run.get("status").asText()).isEqualTo("failed");
    JsonNode failure = task(run, "big").get("failure");
    assertThat(failure.get("kind").asText()).isEqualTo("deterministic");
    assertThat(failure.get("cause").asText())
        .isEqualTo("output file big.bin has 1001 bytes, over the limit of 1000 bytes a file");
    assertThat(task(run, "big").get("attempts")).hasSize(1);
    assertThat(api.get("/api/runs/" + run.get("id").asText() + "/files").json().get("items"))
        .isEmpty();
    // The file within the limit was not stored either: the outcome is refused as a whole.
    assertNotStored(sha256Of("small".getBytes(StandardCharsets.UTF_8)));
    assertNotStored(sha256Of(new byte[1001]));
  }

  @Test
  void a_file_exactly_at_the_per_file_limit_is_kept() throws Exception {
    restartWithLimits(1000, 1000);
    put(
        "action",
        "edge",
        """
        kind: action
        name: edge
        command:
          script: head -c 1000 /dev/zero > edge.bin
          outputs: {files: [edge.bin]}
        """);

    JsonNode run = runAction("edge", Map.of());

    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
    assertThat(blob(sha256Of(new byte[1000]))).isPresent();
  }

  @Test
  void outputs_over_the_per_run_limit_fail_the_task_that_exceeds_it_and_keep_earlier_steps()
      throws Exception {
    restartWithLimits(1000, 1500);
    for (String letter : List.of("a", "b")) {
      put(
          "action",
          "make-" + letter,
          """
          kind: action
          name: make-%1$s
          command:
            script: head -c 800 /dev/zero | tr '\\0' '%1$s' > %1$s.bin
            outputs: {files: [%1$s.bin]}
          """
              .formatted(letter));
    }
    put(
        "workflow",
        "two-parts",
        """
        kind: workflow
        name: two-parts
        steps:
          - id: first
            uses: make-a
          - id: second
            needs: [first]
            uses: make-b
        """);

    ApiClient.Response r = api.post("/api/workflows/two-parts/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    JsonNode run = Runs.awaitTerminal(api, r.json().get("id").asText());

    assertThat(run.get("status").asText()).isEqualTo("completed-with-failures");
    assertThat(task(run, "first").get("status").asText()).isEqualTo("succeeded");
    JsonNode failure = task(run, "second").get("failure");
    assertThat(failure.get("kind").asText()).isEqualTo("deterministic");
    assertThat(failure.get("cause").asText())
        .isEqualTo(
            "output file b.bin brings the run's output files to 1600 bytes, over the limit of"
                + " 1500 bytes a run");
    JsonNode files = api.get("/api/runs/" + run.get("id").asText() + "/files").json();
    assertThat(files.get("items")).hasSize(1);
    assertThat(files.get("items").get(0).get("name").asText()).isEqualTo("a.bin");
    byte[] b = new byte[800];
    java.util.Arrays.fill(b, (byte) 'b');
    assertNotStored(sha256Of(b));
    byte[] a = new byte[800];
    java.util.Arrays.fill(a, (byte) 'a');
    assertThat(blob(sha256Of(a))).isPresent();
  }

  @Test
  void two_tasks_of_a_run_finishing_together_do_not_take_it_over_the_per_run_limit()
      throws Exception {
    restartWithLimits(1000, 1500);
    for (String letter : List.of("a", "b")) {
      // Both sleep to the same tenth of a second, so their outcomes are stored and recorded
      // together: each was within the limit when its bytes were stored.
      put(
          "action",
          "make-" + letter,
          """
          kind: action
          name: make-%1$s
          command:
            script: |
              sleep 0.$(( 10 - $(date +%%N | cut -c1) ))
              head -c 800 /dev/zero | tr '\\0' '%1$s' > %1$s.bin
            outputs: {files: [%1$s.bin]}
          """
              .formatted(letter));
    }
    put(
        "workflow",
        "side-by-side",
        """
        kind: workflow
        name: side-by-side
        steps:
          - {id: left, uses: make-a}
          - {id: right, uses: make-b}
        """);

    ApiClient.Response r = api.post("/api/workflows/side-by-side/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    JsonNode run = Runs.awaitTerminal(api, r.json().get("id").asText());

    assertThat(run.get("status").asText()).isEqualTo("completed-with-failures");
    List<String> statuses =
        List.of(
            task(run, "left").get("status").asText(), task(run, "right").get("status").asText());
    assertThat(statuses).containsExactlyInAnyOrder("succeeded", "failed");
    JsonNode failed = task(run, statuses.get(0).equals("failed") ? "left" : "right").get("failure");
    assertThat(failed.get("kind").asText()).isEqualTo("deterministic");
    assertThat(failed.get("cause").asText())
        .matches(
            "output file [ab]\\.bin brings the run's output files to 1600 bytes, over the limit"
                + " of 1500 bytes a run");
    JsonNode files = api.get("/api/runs/" + run.get("id").asText() + "/files").json();
    assertThat(files.get("items")).hasSize(1);
  }
}
