package dev.runledger.executor;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a command's program as an absolute path, the way the child's PATH would find it. */
final class ProgramResolver {
  private final String path;
  private final boolean ownPath;
  private final Path workDir;

  /**
   * @param path the PATH of the attempt
   * @param ownPath whether that is the action's own env.PATH rather than the worker's
   * @param workDir where a program named with a slash is looked up
   */
  ProgramResolver(String path, boolean ownPath, Path workDir) {
    this.path = path;
    this.ownPath = ownPath;
    this.workDir = workDir;
  }

  Path resolve(String program) throws AttemptFailedException {
    if (program.isEmpty()) {
      throw AttemptFailedException.deterministic(
          "command.run starts with an empty program name", "put the program first in run");
    }
    if (program.contains("/")) {
      Path candidate = workDir.resolve(program).normalize();
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
      throw AttemptFailedException.deterministic(
          "command not found: " + program,
          Files.exists(candidate)
              ? "the file is not executable: chmod +x it, or run it through its interpreter"
              : "the path is relative to the attempt's working directory; check it exists there");
    }
    Path found = findOnPath(program, path);
    if (found == null) {
      throw AttemptFailedException.deterministic(
          "command not found: " + program,
          // the server's PATH is not shown: it describes the server's environment, not the action
          "install "
              + program
              + " on the worker or give its absolute path in run; "
              + (ownPath
                  ? "it was looked up on the action's env.PATH"
                  : "it was looked up on the worker's PATH (set env.PATH in the action to look"
                      + " elsewhere)"));
    }
    return found;
  }

  /** The executable {@code program} in the first directory of {@code path} that has it, or null. */
  static Path findOnPath(String program, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }
}
