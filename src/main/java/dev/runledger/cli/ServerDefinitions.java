package dev.runledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The definition routes as {@code apply} and {@code diff} use them. */
final class ServerDefinitions {
  /** A definition by project (as the server names it), kind and name. */
  record Key(String project, String kind, String name) {}

  private final RunledgerClient client;

  ServerDefinitions(RunledgerClient client) {
    this.client = client;
  }

  /** {@code PUT}: saves the document; the answer {@code {name, revision, created, ...}}. */
  RunledgerClient.Response put(LocalDefinition d) {
    return client.put(d.route(), project(d.project()), d.text(), d.contentType());
  }

  /**
   * {@code POST .../dry-run}: what a PUT would do, {@code {change, revision, definition, latest,
   * project, ...}}; nothing is saved. An invalid document is the PUT's 400.
   *
   * @param applying what the same apply saves that {@code d} uses by name (counted as there)
   */
  JsonNode dryRun(LocalDefinition d, List<String> applying) {
    return client
        .send(
            "POST",
            d.route() + "/dry-run",
            project(d.project()).addAll("applying", applying),
            d.text(),
            d.contentType(),
            Map.of())
        .json();
  }

  /** The latest revision (archived or not), or empty when there is no such definition. */
  Optional<JsonNode> latest(String project, String kind, String name) {
    try {
      return Optional.of(
          client.getJson("/api/" + kind + "s/" + Query.segment(name), project(project)));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The definitions of {@code projects} that are not archived and not in {@code local}: what {@code
   * --prune} archives, workflows first (so no live workflow is left using an archived action in
   * between), each list in name order.
   */
  List<JsonNode> absent(Set<String> projects, Set<Key> local) {
    List<JsonNode> absent = new ArrayList<>();
    for (String project : projects) {
      for (String kind : List.of("workflow", "action")) {
        for (JsonNode d : list(project, kind)) {
          String name = Json.text(d, "name");
          if (!d.path("archived").asBoolean(false)
              && !local.contains(new Key(project, kind, name))) {
            absent.add(d);
          }
        }
      }
    }
    return absent;
  }

  /** {@code DELETE}: archives the definition (no new runs; its history stays). */
  void archive(JsonNode d) {
    client.delete(
        "/api/" + Json.text(d, "kind") + "s/" + Query.segment(Json.text(d, "name")),
        project(Json.text(d, "project")));
  }

  private List<JsonNode> list(String project, String kind) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          client.getJson(
              "/api/" + kind + "s", project(project).add("limit", 200).add("cursor", cursor));
      page.path("items").forEach(all::add);
      cursor = Json.text(page, "nextCursor");
    } while (cursor != null);
    all.sort(Comparator.comparing(d -> Json.textOr(d, "name", "")));
    return all;
  }

  private static Query project(String project) {
    return Query.of().add("project", project);
  }
}
