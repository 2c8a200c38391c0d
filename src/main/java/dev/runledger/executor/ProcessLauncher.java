package dev.runledger.executor;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a prepared command: in its own session (through {@code setsid}, when there is one) so that
 * its process group can be signalled as a whole, inside the isolation, with exactly the prepared
 * environment and no input.
 */
final class ProcessLauncher {
  private final Path setsid;
  private final CommandIsolation isolation;

  /**
   * @param setsid the setsid program, or null to run commands without a session of their own
   */
  ProcessLauncher(Path setsid, CommandIsolation isolation) {
    this.setsid = setsid;
    this.isolation = isolation;
  }

  /** Whether commands lead their own session (and so their own process group). */
  boolean ownSession() {
    return setsid != null;
  }

  /** Starts the command and records its session in the working directory. */
  Process start(PreparedCommand prepared, Path workDir) throws IOException {
    List<String> command = new ArrayList<>();
    if (setsid != null) {
      // Its own session, so the process group can be signalled as a whole on abort or timeout.
      command.add(setsid.toString());
      command.add("--");
    }
    command.addAll(isolation.launch(prepared.argv(), workDir));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(prepared.environment());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    isolation.prepare(workDir, builder.environment());
    Process process = builder.start();
    if (setsid != null) {
      SessionFile.record(workDir, process);
    }
    return process;
  }
}
