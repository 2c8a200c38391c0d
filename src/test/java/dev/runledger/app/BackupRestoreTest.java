package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.audit.AuditVerifier;
import dev.runledger.store.Database;
import dev.runledger.store.Store;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code runledger backup} while the server runs, and {@code runledger restore} into a new home.
 */
class BackupRestoreTest {

  private static final String PRODUCE =
      """
      kind: action
      name: produce
      command:
        script: |
          printf 'region,total\\nnorth,17\\n' > data.csv
          echo "len=${#TOKEN}" >> "$RUNLEDGER_OUTPUT"
        env: {TOKEN: "${{ secrets.api_token }}"}
        outputs: {files: [data.csv]}
      result: "${{ outputs.len }}"
      """;

  @Test
  void a_backup_taken_under_load_restores_with_its_chain_artifacts_and_secrets() throws Exception {
    Path restored = Files.createTempDirectory("runledger-restored").resolve("data");
    Path backup = Files.createTempDirectory("runledger-backups").resolve("nightly.zip");
    try (TestServer server =
        TestServer.start(StoreKind.SQLITE, c -> c.withIsolation("none", null))) {
      ApiClient admin = server.admin();
      assertThat(admin.put("/api/secrets/api_token", Map.of("value", "s3cr3t-value")).status())
          .isBetween(200, 204);
      assertThat(admin.putYaml("/api/actions/produce", PRODUCE).status()).isEqualTo(201);
      admin.putYaml("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n");
      String produced =
          admin.post("/api/actions/produce/trigger", Map.of()).json().get("id").asText();
      assertThat(Runs.awaitTerminal(admin, produced).get("status").asText()).isEqualTo("completed");
      JsonNode file = admin.get("/api/runs/" + produced + "/files").json().get("items").get(0);
      String sha = file.get("sha256").asText();

      // Load while the backup is taken: runs keep being triggered.
      AtomicBoolean loading = new AtomicBoolean(true);
      List<String> during = new ArrayList<>();
      Thread load =
          new Thread(
              () -> {
                while (loading.get()) {
                  during.add(
                      admin.post("/api/actions/ok/trigger", Map.of()).json().get("id").asText());
                }
              });
      load.start();
      Thread.sleep(200);
      String out =
          run("backup", "--to", backup.toString(), "--data-dir", server.dataDir().toString());
      loading.set(false);
      load.join();

      assertThat(out).contains("1 artifact contents");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
          .isEqualTo("rw-------");
      assertThat(during).isNotEmpty();
      assertThat(run("restore", "--from", backup.toString(), "--data-dir", restored.toString()))
          .contains("restored");

      // The chain as restored, before a node starts on it (a node resumes the runs that were in
      // flight at the backup, and appends its own events from there).
      AuditVerifier.Verification copy;
      try (Store store = new Store(Database.open(null, restored, false))) {
        copy = new AuditVerifier(store).verify();
      }
      assertThat(copy.ok()).isTrue();
      assertThat(copy.events()).isPositive();
      try (Runledger node =
          Runledger.start(
              ServerConfig.forTests(restored)
                  .withAdminToken(TestServer.ADMIN_TOKEN)
                  .withIsolation("none", null),
              Clock.systemUTC())) {
        assertThat(node.verifier().verify().ok()).isTrue();
        ApiClient there = new ApiClient(node.url(), TestServer.ADMIN_TOKEN);
        assertThat(there.get("/api/runs/" + produced).json().get("status").asText())
            .isEqualTo("completed");
        assertThat(there.get("/api/files/" + sha.substring(7)).text())
            .isEqualTo("region,total\nnorth,17\n");
        // The secret key came along: the restored secret still opens.
        String again =
            there.post("/api/actions/produce/trigger", Map.of()).json().get("id").asText();
        JsonNode rerun = Runs.awaitTerminal(there, again, Duration.ofSeconds(30));
        assertThat(rerun.get("status").asText()).isEqualTo("completed");
        assertThat(
                there
                    .get("/api/runs/" + again + "/tasks/produce")
                    .json()
                    .path("outputs")
                    .path("len")
                    .asText())
            .isEqualTo(String.valueOf("s3cr3t-value".length()));
      }
      // The copy's chain is a prefix of the live one: same hash at the copy's head.
      AuditVerifier.Verification live =
          server.node().verifier().verify(copy.headSeq(), copy.headHash());
      assertThat(live.ok()).isTrue();
      assertThat(live.anchorOk()).isTrue();
      assertThat(live.headSeq()).isGreaterThanOrEqualTo(copy.headSeq());
    }
  }

  @Test
  void a_restore_refuses_a_directory_in_use_and_a_file_that_is_not_a_backup() throws Exception {
    Path busy = Files.createTempDirectory("runledger-busy");
    Files.writeString(busy.resolve("runledger.db"), "mine");
    Path evil = Files.createTempFile("evil", ".zip");
    try (OutputStream o = Files.newOutputStream(evil);
        ZipOutputStream zip = new ZipOutputStream(o)) {
      zip.putNextEntry(new ZipEntry("runledger.db"));
      zip.write("x".getBytes());
      zip.putNextEntry(new ZipEntry("../../escaped"));
      zip.write("x".getBytes());
    }
    Path fresh = Files.createTempDirectory("runledger-fresh").resolve("data");

    Result inUse = runFailing("restore", "--from", evil.toString(), "--data-dir", busy.toString());
    Result notBackup =
        runFailing("restore", "--from", evil.toString(), "--data-dir", fresh.toString());

    assertThat(inUse.code()).isEqualTo(2);
    assertThat(inUse.err()).contains("is not empty");
    assertThat(Files.readString(busy.resolve("runledger.db"))).isEqualTo("mine");
    assertThat(notBackup.code()).isEqualTo(2);
    assertThat(notBackup.err()).contains("not a Runledger backup", "../../escaped");
    try (var left = Files.list(fresh)) {
      assertThat(left).as("nothing is left half restored").isEmpty();
    }
    assertThat(fresh.getParent().getParent().resolve("escaped")).doesNotExist();
  }

  @Test
  void a_postgresql_store_is_pointed_to_pg_dump() {
    Result r =
        runFailing("backup", "--to", "/tmp/never.zip", "--db", "postgresql://localhost/test");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("pg_dump");
  }

  private record Result(int code, String out, String err) {}

  private static Result runFailing(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static String run(String... args) {
    Result r = runFailing(args);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }
}
