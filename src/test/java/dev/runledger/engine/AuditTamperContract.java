package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit chain against someone with write access to the database: changing, deleting or
 * reordering any row is found by verify, and cutting the tail back is found against an anchor.
 */
abstract class AuditTamperContract {
  private TestServer server;
  private ApiClient api;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store());
    api = server.admin();
    api.putYaml(
        "/api/actions/tick",
        """
        kind: action
        name: tick
        builtin: {log: {message: tick}}
        """);
    for (int i = 0; i < 3; i++) {
      trigger();
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void trigger() {
    ApiClient.Response r = api.post("/api/actions/tick/trigger", Map.of());
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    Runs.awaitTerminal(api, r.json().get("id").asText());
  }

  private JsonNode verify(String query) {
    ApiClient.Response r = api.get("/api/audit/verify" + query);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private Connection connect() throws Exception {
    if (store() == StoreKind.SQLITE) {
      return DriverManager.getConnection(
          "jdbc:sqlite:" + server.dataDir().resolve("runledger.db").toAbsolutePath());
    }
    URI uri = URI.create(server.db());
    String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
    String password =
        uri.getUserInfo() != null && uri.getUserInfo().contains(":")
            ? uri.getUserInfo().split(":", 2)[1]
            : null;
    return DriverManager.getConnection(
        "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), user, password);
  }

  private void sql(String statement) throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  private long sealedHead() {
    JsonNode v = verify("");
    assertThat(v.get("ok").asBoolean()).as(v.toString()).isTrue();
    return v.get("headSeq").asLong();
  }

  @Test
  void an_untouched_trail_verifies() {
    JsonNode v = verify("");
    assertThat(v.get("ok").asBoolean()).isTrue();
    assertThat(v.get("events").asLong()).isGreaterThan(10);
    assertThat(v.get("firstInvalidSeq").isNull()).isTrue();
  }

  @Test
  void changing_any_column_of_a_row_is_detected() throws Exception {
    long head = sealedHead();
    long target = head / 2;
    for (String change :
        new String[] {
          "details_json = '{\"x\":1}'",
          "actor = 'mallory'",
          "type = 'run.created'",
          "at = at + 1",
          "hash = 'sha256:" + "1".repeat(64) + "'"
        }) {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        ResultSet rs =
            s.executeQuery(
                "SELECT actor, type, at, details_json, hash FROM audit_events WHERE seq = "
                    + target);
        assertThat(rs.next()).isTrue();
        String actor = rs.getString(1);
        String type = rs.getString(2);
        long at = rs.getLong(3);
        String details = rs.getString(4);
        String hash = rs.getString(5);
        rs.close();
        s.executeUpdate("UPDATE audit_events SET " + change + " WHERE seq = " + target);
        JsonNode v = verify("");
        assertThat(v.get("ok").asBoolean()).as(change).isFalse();
        assertThat(v.get("firstInvalidSeq").asLong()).as(change).isEqualTo(target);
        try (var restore =
            c.prepareStatement(
                "UPDATE audit_events SET actor = ?, type = ?, at = ?, details_json = ?, hash = ?"
                    + " WHERE seq = ?")) {
          restore.setString(1, actor);
          restore.setString(2, type);
          restore.setLong(3, at);
          restore.setString(4, details);
          restore.setString(5, hash);
          restore.setLong(6, target);
          restore.executeUpdate();
        }
        assertThat(verify("").get("ok").asBoolean()).as("restored after " + change).isTrue();
      }
    }
  }

  @Test
  void deleting_a_row_is_detected() throws Exception {
    long head = sealedHead();
    long target = head / 2;
    sql("DELETE FROM audit_events WHERE seq = " + target);
    JsonNode v = verify("");
    assertThat(v.get("ok").asBoolean()).isFalse();
    assertThat(v.get("firstInvalidSeq").asLong()).isEqualTo(target + 1);
  }

  @Test
  void reordering_rows_is_detected() throws Exception {
    long head = sealedHead();
    long a = head / 2;
    long b = a + 1;
    sql("UPDATE audit_events SET seq = -1 WHERE seq = " + a);
    sql("UPDATE audit_events SET seq = " + a + " WHERE seq = " + b);
    sql("UPDATE audit_events SET seq = " + b + " WHERE seq = -1");
    JsonNode v = verify("");
    assertThat(v.get("ok").asBoolean()).isFalse();
    assertThat(v.get("firstInvalidSeq").asLong()).isEqualTo(a);
  }

  @Test
  void cutting_the_tail_back_and_appending_again_is_detected_against_an_anchor() throws Exception {
    JsonNode anchor = verify("");
    long seq = anchor.get("headSeq").asLong();
    String hash = anchor.get("headHash").asText();
    String query = "?anchorSeq=" + seq + "&anchorHash=" + hash;
    JsonNode intact = verify(query);
    assertThat(intact.get("ok").asBoolean()).isTrue();
    assertThat(intact.get("anchor").get("ok").asBoolean()).isTrue();

    // Cut the last events; new events chain on from the new head, so the chain itself is valid.
    sql("DELETE FROM audit_events WHERE seq > " + (seq - 3));
    JsonNode cut = verify("");
    assertThat(cut.get("ok").asBoolean()).isTrue();
    JsonNode shortened = verify(query);
    assertThat(shortened.get("ok").asBoolean()).isFalse();
    assertThat(shortened.get("anchor").get("ok").asBoolean()).isFalse();

    trigger();
    JsonNode reappended = verify("");
    assertThat(reappended.get("ok").asBoolean()).isTrue();
    assertThat(reappended.get("headSeq").asLong()).isGreaterThan(seq);
    JsonNode checked = verify(query);
    assertThat(checked.get("ok").asBoolean()).isFalse();
    assertThat(checked.get("anchor").get("ok").asBoolean()).isFalse();
    assertThat(checked.get("firstInvalidSeq").asLong()).isEqualTo(seq);
  }

  @Test
  void exports_stream_every_event_as_jsonl_and_csv() {
    long events = verify("").get("events").asLong();
    ApiClient.Response jsonl = api.get("/api/audit?format=jsonl");
    assertThat(jsonl.status()).isEqualTo(200);
    assertThat(jsonl.text().lines().count()).isEqualTo(events);
    assertThat(jsonl.text().lines().findFirst().orElseThrow()).contains("\"hash\"");
    ApiClient.Response csv = api.get("/api/audit?format=csv&type=run.created");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.text().lines().count()).isEqualTo(1 + 3);
    assertThat(csv.text()).startsWith("seq,id,at,");
    assertThat(api.get("/api/audit?format=xml").status()).isEqualTo(400);
  }
}
