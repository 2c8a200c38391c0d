package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds a command's declared output files ({@code outputs: {files: [name or glob, ...]}}) in its
 * working directory and hashes them. A symlink pointing outside the working directory is not
 * followed; a file over the size limit fails the attempt.
 */
final class OutputFiles {
  private static final int MAX_DEPTH = 32;

  private OutputFiles() {}

  /** The declared patterns, checked like names; an empty list when none are declared. */
  static List<String> patterns(JsonNode spec, Templates templates) throws AttemptFailedException {
    JsonNode outputs = spec.get("outputs");
    if (outputs == null || outputs.isNull()) {
      return List.of();
    }
    JsonNode files = outputs.get("files");
    if (!outputs.isObject() || outputs.size() != (files == null ? 0 : 1)) {
      throw AttemptFailedException.deterministic(
          "command.outputs must be {files: [names or globs]}",
          "write outputs: {files: [summary.json, \"charts/*.png\"]}");
    }
    if (!files.isArray()) {
      throw AttemptFailedException.deterministic(
          "command.outputs.files must be a list of names or globs",
          "write outputs: {files: [summary.json, \"charts/*.png\"]}");
    }
    List<String> patterns = new ArrayList<>();
    for (JsonNode f : files) {
      if (!f.isTextual()) {
        throw AttemptFailedException.deterministic(
            "command.outputs.files holds " + f + ", not a name", "list names or globs as strings");
      }
      try {
        patterns.add(FileNames.normalise(templates.renderText(f, java.util.Map.of())));
      } catch (IllegalArgumentException e) {
        throw AttemptFailedException.deterministic(
            "command.outputs.files: " + e.getMessage(),
            "name output files relative to the working directory");
      }
    }
    return patterns;
  }

  /**
   * The files matching {@code patterns}, each named by its path in the working directory with
   * secrets masked. A name that is not a valid artifact name (a control character, a backslash)
   * fails the attempt, since it could not be shown, logged or placed again safely.
   */
  static List<ProducedFile> collect(
      Path workDir, List<String> patterns, long maxFileBytes, AttemptLog log, Templates templates)
      throws AttemptFailedException {
    if (patterns.isEmpty()) {
      return List.of();
    }
    Path root;
    try {
      root = workDir.toRealPath();
    } catch (IOException e) {
      throw AttemptFailedException.transientFailure(
          "the working directory is gone: " + e.getMessage(), null);
    }
    Map<String, ProducedFile> found = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (String pattern : patterns) {
      boolean glob = pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
      List<Path> matches = new ArrayList<>();
      if (glob) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
          walk.filter(p -> !p.equals(root))
              .filter(p -> matcher.matches(root.relativize(p)))
              .sorted()
              .forEach(matches::add);
        } catch (IOException e) {
          throw AttemptFailedException.transientFailure(
              "could not list the output files: " + e.getMessage(), null);
        }
      } else {
        Path p = root.resolve(pattern);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          throw AttemptFailedException.deterministic(
              "the declared output file " + pattern + " was not produced",
              "check that the command writes it into its working directory");
        }
        matches.add(p);
      }
      for (Path p : matches) {
        String path = root.relativize(p).toString();
        if (path.startsWith(".runledger") || !seen.add(path)) {
          continue;
        }
        Path real;
        try {
          real = p.toRealPath();
        } catch (IOException e) {
          log.stderr(
              "[runledger] output "
                  + artifactName(path, templates)
                  + " skipped: a dangling symlink");
          continue;
        }
        if (!real.startsWith(root)) {
          log.stderr(
              "[runledger] output "
                  + artifactName(path, templates)
                  + " skipped: a symlink pointing outside the working directory is not followed");
          continue;
        }
        if (!Files.isRegularFile(real)) {
          continue;
        }
        String name = artifactName(path, templates);
        if (found.containsKey(name)) {
          throw AttemptFailedException.deterministic(
              "two output files are both named " + name + " once secrets are masked",
              "keep secret values out of output file names");
        }
        found.put(name, hash(name, real, maxFileBytes));
      }
    }
    return List.copyOf(found.values());
  }

  private static String artifactName(String path, Templates templates)
      throws AttemptFailedException {
    String valid;
    try {
      valid = FileNames.normalise(path);
    } catch (IllegalArgumentException e) {
      throw AttemptFailedException.deterministic(
          "an output file's name is refused: " + templates.mask(e.getMessage()),
          "name output files without control characters or backslashes");
    }
    return templates.mask(valid);
  }

  private static ProducedFile hash(String name, Path file, long maxFileBytes)
      throws AttemptFailedException {
    try {
      long size = Files.size(file);
      if (size > maxFileBytes) {
        throw AttemptFailedException.deterministic(
            "output file "
                + name
                + " has "
                + size
                + " bytes, over the limit of "
                + maxFileBytes
                + " bytes a file",
            "write smaller files, or raise the server's --max-artifact-bytes");
      }
      return new ProducedFile(name, file, sha256(file), size);
    } catch (IOException e) {
      throw AttemptFailedException.transientFailure(
          "could not read output file " + name + ": " + e.getMessage(), null);
    }
  }

  /** {@code sha256:<hex>} of a file's content. */
  static String sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }
}
