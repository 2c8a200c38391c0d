package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Principal;
import dev.runledger.model.Role;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --load DIR} at every start, on each store: it never brings back what was archived.
 */
abstract class DefinitionLoaderContract {
  @TempDir Path dir;
  private TestServer server;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    write("say.yaml", "kind: action\nname: say\nbuiltin: {log: {message: hello}}\n");
    write("watch.yaml", workflow("watch", "say"));
    server = TestServer.start(store(), c -> c.withLoad(dir));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String workflow(String name, String uses) {
    return """
        kind: workflow
        name: %s
        on:
          events: [{type: watched.happened}]
        steps:
          - {id: one, uses: %s}
        """
        .formatted(name, uses);
  }

  private void write(String file, String text) {
    try {
      Files.writeString(dir.resolve(file), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client of the node now running (a restart moves it to a new port). */
  private ApiClient admin() {
    return server.admin();
  }

  private String load() {
    StringWriter log = new StringWriter();
    new DefinitionLoader(server.node().definitions())
        .load(dir, new Principal("system:loader", Role.ADMIN, null), new PrintWriter(log, true));
    return log.toString();
  }

  private JsonNode postEvent(String id) {
    ApiClient.Response r =
        admin()
            .post(
                "/api/events",
                Map.of(
                    "specversion", "1.0", "id", id, "source", "test", "type", "watched.happened"));
    assertThat(r.status()).as(r.text()).isEqualTo(202);
    return r.json().get("runs");
  }

  @Test
  void an_unchanged_file_makes_no_new_revision() {
    assertThat(server.node().loaded()).isEqualTo(2);
    server.restart();
    assertThat(load()).contains("workflow watch: revision 1 unchanged");
    assertThat(admin().get("/api/workflows/watch/revisions").json().get("items")).hasSize(1);
    assertThat(admin().get("/api/actions/say/revisions").json().get("items")).hasSize(1);
  }

  @Test
  void an_archived_definition_stays_archived_and_takes_no_event_after_a_restart_with_load() {
    assertThat(postEvent("e1")).hasSize(1);
    assertThat(admin().delete("/api/workflows/watch").status()).isIn(200, 204);
    // the file changed as well: still not brought back
    write("watch.yaml", workflow("watch", "say").replace("id: one", "id: two"));
    server.restart();

    JsonNode watch = admin().get("/api/workflows/watch").json();
    assertThat(watch.get("archived").asBoolean()).as(watch.toString()).isTrue();
    assertThat(watch.get("revision").asInt()).isEqualTo(1);
    assertThat(admin().get("/api/workflows/watch/revisions").json().get("items")).hasSize(1);
    assertThat(postEvent("e2")).isEmpty();
    assertThat(load())
        .contains("workflow watch: archived, skipped")
        .doesNotContain("watch: revision");
    assertThat(server.node().loaded()).as("the action only").isEqualTo(1);
  }

  @Test
  void an_archived_action_is_skipped_and_an_unchanged_workflow_using_it_does_not_stop_the_start() {
    assertThat(admin().delete("/api/actions/say").status()).isIn(200, 204);
    server.restart();
    assertThat(admin().get("/api/actions/say").json().get("archived").asBoolean()).isTrue();
    String log = load();
    assertThat(log)
        .contains("action say: archived, skipped", "workflow watch: revision 1 unchanged");
  }

  @Test
  void each_document_of_a_multi_document_file_is_loaded_and_an_invalid_one_is_named_by_its_line() {
    write(
        "more.yaml",
        "kind: workflow\nname: later\nsteps:\n  - {id: one, uses: shout}\n---\n"
            + "kind: action\nname: shout\nbuiltin: {log: {message: HEY}}\n");
    String log = load();
    assertThat(log).contains("action shout: revision 1 created", "workflow later: revision 1");
    assertThat(admin().get("/api/workflows/later").status()).isEqualTo(200);

    write("more.yaml", "kind: action\nname: fine\nbuiltin: {noop: {}}\n---\nkind: action\n");
    assertThatThrownBy(this::load)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(dir.resolve("more.yaml") + ":4: ")
        .hasMessageContaining("name")
        .hasMessageNotContaining("one definition per request");
  }
}
