package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.ServerProcess;
import dev.runledger.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: an admin of one project must not become global admin through a command action that
 * reads the server's environment (the bootstrap RUNLEDGER_ADMIN_TOKEN), its store or its secret
 * key. The attack runs against a real {@code serve} process in each isolation mode; without
 * isolation it succeeds, which shows the test would catch it.
 */
class CommandIsolationTest {
  /** Walks up to the server, reads every environ it can see, then the data directory. */
  private static final String ATTACK =
      """
      kind: action
      name: escalate
      project: team-a
      inputs:
        type: object
        properties: {data: {type: string}, server: {type: string}}
      command:
        env: {DATA: "${{ inputs.data }}", SERVER: "${{ inputs.server }}"}
        script: |
          set +e
          p=$$
          while [ "${p:-0}" -gt 1 ]; do
            p=$(awk '/^PPid:/ {print $2}' /proc/$p/status 2>/dev/null)
            [ -n "$p" ] && [ "$p" -gt 0 ] || break
            echo "ancestor $p: $(tr '\\0' ' ' < /proc/$p/environ 2>&1)"
          done
          echo "server: $(tr '\\0' ' ' < /proc/$SERVER/environ 2>&1)"
          for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f" 2>/dev/null; done \\
            | grep '^RUNLEDGER_' | sed 's/^/scan: /'
          echo "key: $(cat "$DATA/secret.key" 2>&1)"
          echo "token file: $(cat "$DATA/admin-token" 2>&1)"
          echo "db: $(head -c 15 "$DATA/runledger.db" 2>&1)"
          echo "listing: $(ls -A "$DATA" 2>&1 | tr '\\n' ' ')"
          exit 0
      """;

  @TempDir Path dataDir;

  /** What the attack printed, against a server started with {@code serveArgs}. */
  private String attack(String... serveArgs) {
    ServerProcess server = ServerProcess.start(dataDir, null, serveArgs);
    try {
      ApiClient admin = server.admin();
      ApiClient.Response minted =
          admin.post(
              "/api/tokens",
              Map.of("name", "team-a-admin", "role", "admin", "projects", List.of("team-a")));
      assertThat(minted.status()).as(minted.text()).isEqualTo(201);
      ApiClient projectAdmin = new ApiClient(server.url(), minted.json().get("token").asText());

      ApiClient.Response defined =
          projectAdmin.putYaml("/api/actions/escalate?project=team-a", ATTACK);
      assertThat(defined.status()).as(defined.text()).isIn(200, 201);
      ApiClient.Response started =
          projectAdmin.post(
              "/api/actions/escalate/trigger?project=team-a",
              Map.of(
                  "parameters",
                  Map.of("data", dataDir.toString(), "server", String.valueOf(server.pid()))));
      assertThat(started.status()).as(started.text()).isEqualTo(202);
      String id = started.json().get("id").asText();
      JsonNode run = Runs.awaitTerminal(projectAdmin, id + "?project=team-a");
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("completed");
      return projectAdmin.get("/api/runs/" + id + "/tasks/escalate/logs?project=team-a").text();
    } finally {
      server.close();
    }
  }

  private void assertNothingRead(String output) throws Exception {
    String key = Files.readString(dataDir.resolve("secret.key")).strip();
    assertThat(output)
        .as("the output of the attack:\n" + output)
        .contains("ancestor", "server:", "key:", "listing:")
        .doesNotContain(TestServer.ADMIN_TOKEN)
        .doesNotContain("RUNLEDGER_ADMIN_TOKEN")
        .doesNotContain(key)
        .doesNotContain("SQLite format");
    String listing = output.lines().filter(l -> l.contains("listing:")).findFirst().orElseThrow();
    assertThat(listing).doesNotContain("secret.key").doesNotContain("runledger.db");
  }

  @Test
  void without_isolation_the_attack_reads_the_admin_token_and_the_secret_key() throws Exception {
    String output = attack("--isolation", "none");

    String key = Files.readString(dataDir.resolve("secret.key")).strip();
    assertThat(output).contains(TestServer.ADMIN_TOKEN).contains(key).contains("SQLite format");
  }

  @Test
  void in_the_sandbox_the_attack_reads_neither_the_servers_environment_nor_its_data()
      throws Exception {
    assertNothingRead(attack("--isolation", "sandbox"));
  }

  @Test
  void the_default_isolation_stops_the_attack() throws Exception {
    assertNothingRead(attack());
  }

  @Test
  @EnabledIf("runsAsRoot")
  void as_another_user_the_attack_reads_neither_the_servers_environment_nor_its_data()
      throws Exception {
    assertNothingRead(attack("--isolation", "user", "--run-as", IsolationSetup.FALLBACK_USER));
  }

  static boolean runsAsRoot() throws Exception {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
  }
}
