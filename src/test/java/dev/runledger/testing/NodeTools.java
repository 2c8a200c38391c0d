package dev.runledger.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Outside tools from npm, pinned by a committed package-lock.json: installed with {@code npm ci}
 * into a directory under target/ (again only when the lock changed), and run from there.
 */
public final class NodeTools {
  private static final String STAMP = ".installed-package-lock.json";
  private static final long TIMEOUT_MINUTES = 5;

  private final Path work;

  private NodeTools(Path work) {
    this.work = work;
  }

  /** A tool's output: exit code, stdout and stderr. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Copies the tools' files (package.json, package-lock.json, configuration; not node_modules) to
   * {@code work} and runs {@code npm ci --prefix work} unless node_modules there was installed from
   * the same lock. Fails, with what to install, when npm is not on the PATH.
   */
  public static NodeTools install(Path tools, Path work) {
    Path lock = tools.resolve("package-lock.json");
    if (!Files.isRegularFile(lock)) {
      fail(tools + "/package-lock.json is missing: run npm install in " + tools + " and commit it");
    }
    try {
      Files.createDirectories(work);
      try (Stream<Path> files = Files.list(tools)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.copy(
              f, work.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Path stamp = work.resolve(STAMP);
      boolean current =
          Files.isDirectory(work.resolve("node_modules"))
              && Files.isRegularFile(stamp)
              && Arrays.equals(Files.readAllBytes(stamp), Files.readAllBytes(lock));
      NodeTools installed = new NodeTools(work);
      if (!current) {
        Files.deleteIfExists(stamp);
        String npm = onPath("npm");
        Result r =
            installed.exec(
                List.of(
                    npm,
                    "ci",
                    "--prefix",
                    work.toAbsolutePath().toString(),
                    "--ignore-scripts",
                    "--no-audit",
                    "--no-fund"));
        if (r.exitCode() != 0) {
          fail("npm ci in " + work + " failed (" + r.exitCode() + "):\n" + r.stdout() + r.stderr());
        }
        Files.copy(lock, stamp);
      }
      return installed;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code node_modules/.bin/<tool>} in the work directory. */
  public Result run(String tool, String... args) {
    Path bin = work.resolve("node_modules/.bin").resolve(tool);
    if (!Files.isExecutable(bin)) {
      fail(bin + " is not installed: is it a dependency in package.json?");
    }
    List<String> command = new ArrayList<>();
    command.add(bin.toAbsolutePath().toString());
    command.addAll(List.of(args));
    return exec(command);
  }

  public Path work() {
    return work;
  }

  private Result exec(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    Map<String, String> env = pb.environment();
    env.put("REDOCLY_TELEMETRY", "off");
    env.put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    env.put("NO_UPDATE_NOTIFIER", "1");
    env.put("NO_COLOR", "1");
    try {
      Path out = Files.createTempFile(work, "out", ".txt");
      Path err = Files.createTempFile(work, "err", ".txt");
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        fail(String.join(" ", command) + " did not end within " + TIMEOUT_MINUTES + " minutes");
      }
      Result r =
          new Result(
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail(
        program
            + " is not on the PATH: these tests run outside tools from npm; install Node.js 20 or"
            + " later (with npm)");
  }
}
