package dev.runledger.api;

import dev.runledger.model.Artifact;
import dev.runledger.model.Run;
import dev.runledger.store.BlobRepository.BlobInfo;
import dev.runledger.store.Tx;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A file's bytes as a download, for the API and the web UI alike. */
public final class FileDownloads {
  private FileDownloads() {}

  /**
   * Sends the bytes of {@code sha} as an attachment, never sniffed: 404 when no run of {@code
   * project} has it, 410 when retention deleted its bytes.
   */
  public static void send(ApiContext api, Context ctx, String project, String sha) {
    record Found(Artifact artifact, Optional<BlobInfo> blob) {}
    Found found =
        api.store()
            .read(
                tx -> {
                  List<Artifact> records = visible(tx, project, sha);
                  return new Found(records.get(0), tx.blobs().find(sha));
                });
    if (found.blob().isEmpty() || found.blob().get().prunedAt() != null) {
      throw new ApiException(
          410, "Gone", "the bytes of " + sha + " were deleted by the retention policy");
    }
    InputStream in;
    try {
      in =
          api.blobs()
              .open(sha)
              .orElseThrow(
                  () -> new ApiException(410, "Gone", "the bytes of " + sha + " are not kept"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Artifact a = found.artifact();
    String mediaType = a.mediaType();
    // Served as an attachment and never sniffed; active content is not given its own type.
    if (mediaType.startsWith("text/html")
        || mediaType.contains("svg")
        || mediaType.contains("xml")) {
      mediaType = "application/octet-stream";
    }
    ctx.header("Content-Disposition", "attachment; filename=\"" + safeName(a.name()) + "\"");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", "sandbox");
    ctx.header("ETag", "\"" + sha + "\"");
    ctx.header("Content-Length", String.valueOf(found.blob().get().size()));
    ctx.contentType(mediaType);
    ctx.result(in);
  }

  private static String safeName(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1);
    return base.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The records of a content in runs of {@code project}; 404 when there are none. */
  public static List<Artifact> visible(Tx tx, String project, String sha) {
    Map<String, Boolean> inProject = new HashMap<>();
    List<Artifact> records = new ArrayList<>();
    for (Artifact a : tx.artifacts().bySha(sha)) {
      boolean ok =
          inProject.computeIfAbsent(
              a.runId(),
              id -> tx.runs().find(id).map(Run::project).map(project::equals).orElse(false));
      if (ok) {
        records.add(a);
      }
    }
    if (records.isEmpty()) {
      throw ApiException.notFound("no file " + sha);
    }
    return records;
  }
}
