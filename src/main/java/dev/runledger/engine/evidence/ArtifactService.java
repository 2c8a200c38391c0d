package dev.runledger.engine.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.executor.FileNames;
import dev.runledger.executor.ProducedFile;
import dev.runledger.executor.TemplateException;
import dev.runledger.executor.Templates;
import dev.runledger.model.Artifact;
import dev.runledger.model.ClaimedAttempt;
import dev.runledger.model.Failure;
import dev.runledger.store.BlobStore;
import dev.runledger.store.Store;
import dev.runledger.store.Tx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Moves artifacts between the blob store and attempts' working directories: places a command's
 * declared input files before it runs (checking their digest on the way), and keeps the output
 * files it produced, within the per-file and per-run size limits.
 */
public final class ArtifactService {
  /** Default limits: 256 MiB a file, 2 GiB a run. */
  public static final long DEFAULT_MAX_FILE_BYTES = 256L << 20;

  public static final long DEFAULT_MAX_RUN_BYTES = 2L << 30;

  private static final Pattern DIGEST = Pattern.compile("(?:sha256:)?([0-9a-fA-F]{64})");
  private static final Map<String, String> MEDIA_TYPES =
      Map.ofEntries(
          Map.entry("json", "application/json"),
          Map.entry("jsonl", "application/x-ndjson"),
          Map.entry("csv", "text/csv"),
          Map.entry("tsv", "text/tab-separated-values"),
          Map.entry("txt", "text/plain"),
          Map.entry("log", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("html", "text/html"),
          Map.entry("xml", "application/xml"),
          Map.entry("yaml", "application/yaml"),
          Map.entry("yml", "application/yaml"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"),
          Map.entry("tar", "application/x-tar"),
          Map.entry("parquet", "application/vnd.apache.parquet"));

  private final Store store;
  private final BlobStore blobs;
  private final Clock clock;
  private final long maxFileBytes;
  private final long maxRunBytes;

  public ArtifactService(
      Store store, BlobStore blobs, Clock clock, long maxFileBytes, long maxRunBytes) {
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
    this.maxFileBytes = maxFileBytes;
    this.maxRunBytes = maxRunBytes;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public long maxFileBytes() {
    return maxFileBytes;
  }

  /** {@code sha256:<hex>} for a hex digest with or without the prefix, or empty. */
  public static Optional<String> digest(String text) {
    if (text == null) {
      return Optional.empty();
    }
    var m = DIGEST.matcher(text.trim());
    return m.matches()
        ? Optional.of("sha256:" + m.group(1).toLowerCase(Locale.ROOT))
        : Optional.empty();
  }

  /** The media type a file name suggests; {@code application/octet-stream} when none. */
  public static String mediaType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return MEDIA_TYPES.getOrDefault(ext, "application/octet-stream");
  }

  /**
   * Places the files {@code command.inputs.files} declares: each {@code {from: "sha256:..." , as:
   * name}} (from usually an expression such as {@code ${{ inputs.data }}} filled from {@code
   * steps.<id>.files['data.csv']}) or {@code {sha256: ..., as: name}}.
   */
  public List<Artifact> placeInputs(
      ClaimedAttempt claimed, JsonNode spec, Templates templates, Path dir)
      throws ArtifactException {
    JsonNode inputs = spec == null ? null : spec.get("inputs");
    if (inputs == null || inputs.isNull()) {
      return List.of();
    }
    JsonNode files = inputs.get("files");
    if (!inputs.isObject() || files == null || !files.isArray() || inputs.size() != 1) {
      throw deterministic(
          "command.inputs must be {files: [{from: ..., as: name}]}",
          "write inputs: {files: [{from: \"${{ inputs.data }}\", as: data.csv}]}");
    }
    String project = claimed.run().project();
    Instant now = clock.instant();
    List<Artifact> placed = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode file : files) {
      if (!file.isObject()) {
        throw deterministic("command.inputs.files holds " + file + ", not {from, as}", null);
      }
      JsonNode source = file.has("from") ? file.get("from") : file.get("sha256");
      if (source == null) {
        throw deterministic(
            "an input file needs from (an artifact's sha256) or sha256",
            "write {from: \"${{ steps.extract.files['data.csv'] }}\", as: data.csv}");
      }
      String rendered;
      try {
        rendered = source.isTextual() ? templates.renderText(source, Map.of()) : null;
      } catch (TemplateException e) {
        throw deterministic(e.getMessage(), "fix the expression in command.inputs");
      }
      String sha =
          digest(rendered)
              .orElseThrow(
                  () ->
                      deterministic(
                          "input file "
                              + (rendered == null || rendered.isEmpty()
                                  ? "(empty)"
                                  : templates.mask(rendered))
                              + " is not an artifact's sha256",
                          "the step it comes from may not have produced that file"));
      List<Artifact> known = store.read(tx -> tx.artifacts().bySha(sha));
      boolean visible = store.read(tx -> tx.artifacts().visibleIn(sha, project));
      if (!visible) {
        throw deterministic(
            "no artifact " + sha + " in project " + project,
            "name a file a run of this project produced");
      }
      String name;
      try {
        name =
            FileNames.normalise(
                file.hasNonNull("as")
                    ? templates.renderText(file.get("as"), Map.of())
                    : known.get(0).name());
      } catch (IllegalArgumentException e) {
        throw deterministic(
            "command.inputs.files: " + templates.mask(e.getMessage()),
            "name input files relative to the working directory");
      } catch (TemplateException e) {
        throw deterministic(e.getMessage(), "fix the expression in command.inputs");
      }
      if (!names.add(name)) {
        throw deterministic("two input files are placed as " + name, "give each its own as:");
      }
      long size = place(sha, dir, name);
      placed.add(
          new Artifact(
              claimed.run().id(),
              claimed.task().name(),
              claimed.attempt(),
              Artifact.CONSUMED,
              name,
              sha,
              size,
              mediaType(name),
              now));
    }
    return placed;
  }

  private long place(String sha, Path dir, String name) throws ArtifactException {
    Path target = dir.resolve(name).normalize();
    if (!target.startsWith(dir)) {
      throw deterministic("input name " + name + " leaves the working directory", null);
    }
    try {
      Optional<InputStream> in = blobs.open(sha);
      if (in.isEmpty()) {
        throw deterministic(
            "the bytes of artifact " + sha + " are no longer kept (retention)",
            "produce the file again in a new run");
      }
      Files.createDirectories(target.getParent());
      MessageDigest md = sha256();
      long size;
      try (InputStream source = in.get();
          OutputStream out = new DigestOutputStream(Files.newOutputStream(target), md)) {
        size = source.transferTo(out);
      }
      String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
      if (!actual.equals(sha)) {
        throw deterministic(
            "the stored bytes of artifact " + sha + " hash to " + actual,
            "the blob store was altered; restore it from a backup");
      }
      return size;
    } catch (IOException e) {
      throw new ArtifactException(
          Failure.transientFailure(
              "could not place input " + name + ": " + e.getMessage(),
              "check the data directory's free space and permissions"));
    }
  }

  /** Stores the bytes of the output files (once per content) within the size limits. */
  public List<Artifact> keepOutputs(ClaimedAttempt claimed, List<ProducedFile> files)
      throws ArtifactException {
    if (files.isEmpty()) {
      return List.of();
    }
    // Every limit is checked before any byte is stored, so a refused outcome leaves nothing behind.
    for (ProducedFile f : files) {
      if (f.size() > maxFileBytes) {
        throw deterministic(
            "output file "
                + f.name()
                + " has "
                + f.size()
                + " bytes, over the limit of "
                + maxFileBytes
                + " bytes a file",
            "write smaller files, or raise the server's --max-artifact-bytes");
      }
    }
    String runId = claimed.run().id();
    long produced = store.read(tx -> tx.artifacts().producedBytes(runId));
    Failure over =
        overRunLimit(
            produced,
            files.stream().map(ProducedFile::name).toList(),
            files.stream().map(ProducedFile::size).toList());
    if (over != null) {
      throw new ArtifactException(over);
    }
    Instant now = clock.instant();
    List<Artifact> kept = new ArrayList<>();
    for (ProducedFile f : files) {
      try {
        blobs.put(f.sha256(), f.size(), f.path());
      } catch (IOException e) {
        throw new ArtifactException(
            Failure.transientFailure(
                "could not store output file " + f.name() + ": " + e.getMessage(),
                "check the data directory's free space and permissions"));
      }
      kept.add(
          new Artifact(
              runId,
              claimed.task().name(),
              claimed.attempt(),
              Artifact.PRODUCED,
              f.name(),
              f.sha256(),
              f.size(),
              mediaType(f.name()),
              now));
    }
    return kept;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The failure of an outcome whose output files take its run over the per-run limit, counted in
   * the recording transaction under the run's output lock: the check made before the bytes were
   * stored ({@link #keepOutputs}) cannot see the outputs of another task of the run recorded
   * meanwhile. Null when within the limit (or nothing was produced).
   */
  public Failure overRunLimit(Tx tx, String runId, List<Artifact> outputs) {
    if (outputs.isEmpty()) {
      return null;
    }
    tx.lockRunOutputs(runId);
    return overRunLimit(
        tx.artifacts().producedBytes(runId),
        outputs.stream().map(Artifact::name).toList(),
        outputs.stream().map(Artifact::size).toList());
  }

  /** The failure of the first file that takes the run past its limit, or null. */
  private Failure overRunLimit(long produced, List<String> names, List<Long> sizes) {
    long total = produced;
    for (int i = 0; i < names.size(); i++) {
      total += sizes.get(i);
      if (total > maxRunBytes) {
        return Failure.deterministic(
            "output file "
                + names.get(i)
                + " brings the run's output files to "
                + total
                + " bytes, over the limit of "
                + maxRunBytes
                + " bytes a run",
            "produce less, or raise the server's --max-run-artifact-bytes");
      }
    }
    return null;
  }

  private static ArtifactException deterministic(String cause, String hint) {
    return new ArtifactException(Failure.deterministic(cause, hint));
  }
}
