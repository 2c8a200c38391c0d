package dev.runledger.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file written into an attempt's working directory while its command runs: the session id (the
 * pid of the session leader) and the leader's start time, so that a node killed with {@code kill
 * -9} can find at its next start what its commands left running.
 */
final class SessionFile {
  static final String NAME = ".runledger-session";

  private static final Logger LOG = LoggerFactory.getLogger(SessionFile.class);

  private SessionFile() {}

  /** Records the session a process leads; a failure to write is logged, not fatal. */
  static void record(Path workDir, Process process) {
    long start = process.toHandle().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    try {
      // Not through a symlink the command may have put there: the server may see more than it.
      Files.writeString(
          workDir.resolve(NAME),
          process.pid() + " " + start + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      LOG.warn("could not record the session of {}: {}", process.pid(), e.getMessage());
    }
  }

  /** The live processes of the sessions recorded under {@code workRoot} (none if it is absent). */
  static List<ProcessHandle> orphansUnder(Path workRoot) {
    List<ProcessHandle> orphans = new ArrayList<>();
    if (!Files.isDirectory(workRoot)) {
      return orphans;
    }
    try (Stream<Path> files = Files.walk(workRoot, 4)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!file.getFileName().toString().equals(NAME)) {
          continue;
        }
        String[] fields = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
        long session = Long.parseLong(fields[0]);
        long startedMillis = fields.length > 1 ? Long.parseLong(fields[1]) : 0L;
        orphans.addAll(ProcessTreeTerminator.sessionMembers(session, startedMillis));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not look for commands left running under {}: {}", workRoot, e.getMessage());
    }
    return orphans;
  }
}
