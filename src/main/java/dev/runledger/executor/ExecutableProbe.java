package dev.runledger.executor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The environment evidence of a command: the resolved executable's path and SHA-256 (the analogue
 * of a container image digest) and, for known interpreters, the first line of their version. Cached
 * per file and modification time, so a busy worker hashes bash once.
 */
final class ExecutableProbe {
  /** Interpreters whose {@code --version} is recorded. */
  private static final Set<String> VERSIONED =
      Set.of("bash", "sh", "python3", "python", "node", "perl", "ruby", "jq", "curl");

  private record Key(Path path, long size, long modified) {}

  private final Map<Key, ObjectNode> cache = new ConcurrentHashMap<>();

  /**
   * {@code {path, sha256, version?}} of the executable.
   *
   * @param mayRun whether the executable may be run (for its version) by the server itself: not a
   *     program the command brought along in its working directory
   */
  ObjectNode describe(Path executable, boolean mayRun) {
    Path real;
    BasicFileAttributes attrs;
    try {
      real = executable.toRealPath();
      attrs = Files.readAttributes(real, BasicFileAttributes.class);
    } catch (IOException e) {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("path", executable.toString());
      n.putNull("sha256");
      return n;
    }
    if (!mayRun) {
      return probe(executable, real, false);
    }
    Key key = new Key(real, attrs.size(), attrs.lastModifiedTime().toMillis());
    return cache.computeIfAbsent(key, k -> probe(executable, real, true)).deepCopy();
  }

  private static ObjectNode probe(Path executable, Path real, boolean mayRun) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("path", executable.toString());
    if (!real.equals(executable)) {
      n.put("resolvedPath", real.toString());
    }
    try {
      n.put("sha256", OutputFiles.sha256(real));
    } catch (IOException e) {
      n.putNull("sha256");
    }
    String name = executable.getFileName().toString();
    if (mayRun && VERSIONED.contains(name)) {
      String version = firstLine(executable);
      if (version != null) {
        n.put("version", version);
      }
    }
    return n;
  }

  private static String firstLine(Path executable) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(executable.toString(), "--version")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      // never the server's environment (RUNLEDGER_ADMIN_TOKEN, RUNLEDGER_SECRET_KEY...)
      Map<String, String> env = builder.environment();
      String path = env.getOrDefault("PATH", "/usr/bin:/bin");
      env.clear();
      env.put("PATH", path);
      env.put("LANG", "C.UTF-8");
      Process p = builder.start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readNBytes(4096);
      }
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      int nl = text.indexOf('\n');
      return text.isEmpty() ? null : (nl < 0 ? text : text.substring(0, nl)).strip();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
