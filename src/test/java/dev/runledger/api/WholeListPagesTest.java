package dev.runledger.api;

import static dev.runledger.api.ProblemAssertions.assertProblem;
import static dev.runledger.api.ProblemAssertions.errorFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.testing.ApiClient;
import dev.runledger.testing.Runs;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens, secrets and a run's timeline page with {@code limit} and {@code cursor} as every list.
 */
class WholeListPagesTest {
  private static TestServer server;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(StoreKind.SQLITE);
    admin = server.admin();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The values of a field over every page of a listing, with {@code limit=2}. */
  private static List<String> everyPage(String path, String field) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String sep = path.contains("?") ? "&" : "?";
      ApiClient.Response r =
          admin.get(path + sep + "limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      JsonNode page = r.json();
      assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
      page.get("items").forEach(i -> seen.add(i.get(field).asText()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      if (cursor != null) {
        assertThat(r.header("Link")).contains("cursor=" + cursor).endsWith("rel=\"next\"");
      }
      pages++;
    } while (cursor != null && pages < 20);
    return seen;
  }

  @Test
  void tokens_page_newest_first() {
    List<String> made = new ArrayList<>();
    for (String name : List.of("t1", "t2", "t3", "t4")) {
      made.add(
          0,
          admin
              .post("/api/tokens", Map.of("name", name, "role", "viewer"))
              .json()
              .get("id")
              .asText());
    }
    List<String> all = everyPage("/api/tokens", "id");
    assertThat(all).startsWith(made.toArray(String[]::new)).doesNotHaveDuplicates();
    assertThat(all).hasSize(admin.get("/api/tokens?limit=500").json().get("items").size());
    assertProblem(admin.get("/api/tokens?cursor=tok_nope"), 400);
  }

  @Test
  void secrets_page_by_name_and_a_secret_deleted_between_pages_shifts_nothing() {
    for (String name : List.of("S_A", "S_B", "S_C", "S_D", "S_E")) {
      assertThat(
              admin.put("/api/secrets/" + name + "?project=paged", Map.of("value", "v")).status())
          .isEqualTo(201);
    }
    assertThat(everyPage("/api/secrets?project=paged", "name"))
        .containsExactly("S_A", "S_B", "S_C", "S_D", "S_E");

    JsonNode first = admin.get("/api/secrets?project=paged&limit=2").json();
    assertThat(first.get("nextCursor").asText()).isEqualTo("S_B");
    assertThat(admin.delete("/api/secrets/S_B?project=paged").status()).isEqualTo(204);
    JsonNode second = admin.get("/api/secrets?project=paged&limit=2&cursor=S_B").json();
    assertThat(second.get("items").findValuesAsText("name")).containsExactly("S_C", "S_D");
    assertThat(errorFields(assertProblem(admin.get("/api/secrets?cursor=%25%25%25"), 400)))
        .containsExactly("cursor");
  }

  @Test
  void a_runs_timeline_pages_in_order() {
    assertThat(
            admin
                .putYaml("/api/actions/ok", "kind: action\nname: ok\nbuiltin: {noop: {}}\n")
                .status())
        .isIn(200, 201);
    String run = admin.post("/api/actions/ok/trigger", Map.of()).json().get("id").asText();
    Runs.awaitTerminal(admin, run);
    List<String> whole =
        admin
            .get("/api/runs/" + run + "/audit?limit=500")
            .json()
            .get("items")
            .findValuesAsText("hash");
    assertThat(whole).hasSizeGreaterThan(3);
    assertThat(everyPage("/api/runs/" + run + "/audit", "hash")).isEqualTo(whole);
    assertThat(admin.get("/api/runs/" + run + "/audit?limit=1").json().get("items")).hasSize(1);
    assertThat(errorFields(assertProblem(admin.get("/api/runs/" + run + "/audit?limit=0"), 400)))
        .containsExactly("limit");
  }
}
