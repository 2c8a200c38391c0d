package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.engine.evidence.ArtifactService;
import dev.runledger.engine.run.RunService;
import dev.runledger.model.Artifact;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Role;
import dev.runledger.store.Tx;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Artifacts: a run's files, one file's bytes, and lineage within a run and across runs. */
final class FileRoutes {
  private final ApiContext api;

  FileRoutes(ApiContext api) {
    this.api = api;
  }

  void register(RouteTable routes) {
    routes.get("/api/runs/{id}/files", Role.VIEWER, this::runFiles);
    routes.get("/api/runs/{id}/lineage", Role.VIEWER, this::runLineage);
    routes.get("/api/files/{sha256}", Role.VIEWER, this::download);
    routes.get("/api/files/{sha256}/lineage", Role.VIEWER, this::fileLineage);
  }

  private void runFiles(Context ctx) {
    Requests.onlyParams(ctx);
    String project = Requests.project(ctx);
    String runId = ctx.pathParam("id");
    List<JsonNode> items =
        api.store()
            .read(
                tx -> {
                  RunService.findRun(tx, project, runId);
                  Map<String, Boolean> pruned = new HashMap<>();
                  List<JsonNode> out = new ArrayList<>();
                  for (Artifact a : tx.artifacts().forRun(runId)) {
                    boolean p =
                        pruned.computeIfAbsent(
                            a.sha256(),
                            sha ->
                                tx.blobs().find(sha).map(b -> b.prunedAt() != null).orElse(true));
                    out.add(EvidenceViews.runFile(a, p));
                  }
                  return out;
                });
    Responses.page(ctx, items, null);
  }

  private void runLineage(Context ctx) {
    String project = Requests.project(ctx);
    String runId = ctx.pathParam("id");
    ObjectNode graph =
        api.store()
            .read(
                tx -> {
                  RunService.findRun(tx, project, runId);
                  List<Artifact> artifacts = tx.artifacts().forRun(runId);
                  return EvidenceViews.lineage(artifacts, statuses(tx, artifacts));
                });
    graph.put("runId", runId);
    Responses.json(ctx, graph);
  }

  /**
   * One content across runs: the runs and tasks that produced it, those that consumed it, and the
   * graph of those records.
   */
  private void fileLineage(Context ctx) {
    Requests.onlyParams(ctx);
    String project = Requests.project(ctx);
    String sha = digest(ctx);
    ObjectNode out =
        api.store()
            .read(
                tx -> {
                  List<Artifact> records = visible(tx, project, sha);
                  ObjectNode graph = EvidenceViews.lineage(records, statuses(tx, records));
                  ArrayNode producedBy = graph.putArray("producedBy");
                  ArrayNode consumedBy = graph.putArray("consumedBy");
                  for (Artifact a : records) {
                    ObjectNode ref = EvidenceViews.runFile(a, false);
                    ref.remove("pruned");
                    (Artifact.PRODUCED.equals(a.direction()) ? producedBy : consumedBy).add(ref);
                  }
                  graph.set("artifact", EvidenceViews.file(records.get(0)));
                  return graph;
                });
    Responses.json(ctx, out);
  }

  private void download(Context ctx) {
    Requests.onlyParams(ctx);
    FileDownloads.send(api, ctx, Requests.project(ctx), digest(ctx));
  }

  private static String digest(Context ctx) {
    return ArtifactService.digest(ctx.pathParam("sha256"))
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "sha256", "a file is named by its SHA-256: 64 hex digits"));
  }

  private static List<Artifact> visible(Tx tx, String project, String sha) {
    return FileDownloads.visible(tx, project, sha);
  }

  private static Map<String, String> statuses(Tx tx, List<Artifact> artifacts) {
    Map<String, String> statuses = new HashMap<>();
    for (Artifact a : artifacts) {
      statuses.computeIfAbsent(
          a.runId() + "/" + a.taskName(),
          k -> tx.tasks().find(a.runId(), a.taskName()).map(t -> t.status().wire()).orElse(null));
    }
    return statuses;
  }
}
