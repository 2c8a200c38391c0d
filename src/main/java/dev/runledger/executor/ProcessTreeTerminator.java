package dev.runledger.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a process that leads its own process group, together with everything it started: TERM, a
 * grace period, then KILL.
 */
final class ProcessTreeTerminator {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessTreeTerminator.class);
  private static final Path PROC = Path.of("/proc");
  private static final long POLL_MILLIS = 50;

  private final Duration grace;
  private final Path killCommand;
  private final boolean sandboxed;

  /**
   * @param killCommand the {@code kill} program used to signal a whole process group, or null when
   *     there is none (then only the process and its descendants are signalled)
   * @param sandboxed whether the process is a sandbox whose end ends everything inside (its PID
   *     namespace): then TERM goes to the processes inside, and KILL to the sandbox
   */
  ProcessTreeTerminator(Duration grace, Path killCommand, boolean sandboxed) {
    this.grace = grace;
    this.killCommand = killCommand;
    this.sandboxed = sandboxed;
  }

  /** Terminates the process, its process group and its descendants; returns when all are gone. */
  void terminate(Process process) {
    if (sandboxed) {
      terminateSandbox(process);
      return;
    }
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    // Taken before signalling: once a parent dies its children are reparented and lost from view.
    process.descendants().forEach(tree::add);
    stop(process.pid(), tree);
  }

  /**
   * The sandbox (bubblewrap, its init inside the PID namespace, then the command) dies of TERM at
   * once and takes the command with it, so TERM goes to the command's processes only; the grace
   * over, KILL to the sandbox ends the whole namespace.
   */
  private void terminateSandbox(Process sandbox) {
    List<ProcessHandle> inside = new ArrayList<>();
    sandbox
        .descendants()
        .filter(h -> h.parent().map(p -> p.pid() != sandbox.pid()).orElse(true))
        .forEach(inside::add);
    inside.forEach(ProcessHandle::destroy);
    boolean interrupted = false;
    try {
      if (!sandbox.waitFor(grace.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
        sandbox.destroyForcibly();
        sandbox.waitFor(grace.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
      sandbox.destroyForcibly();
    }
    // The namespace ends with its init; what was inside is gone, this is a last sweep.
    inside.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Terminates what is left of the group of an exited process (background children). */
  void terminateLeftovers(long processGroup) {
    if (groupAlive(processGroup)) {
      stop(processGroup, List.of());
    }
  }

  /** Terminates these processes (TERM, the grace period, then KILL); returns when all are gone. */
  void terminateAll(List<ProcessHandle> processes) {
    processes.forEach(ProcessHandle::destroy);
    boolean interrupted = false;
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (processes.stream().anyMatch(ProcessTreeTerminator::liveNotZombie)
          && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    processes.stream()
        .filter(ProcessTreeTerminator::liveNotZombie)
        .forEach(ProcessHandle::destroyForcibly);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The live processes of a session whose leader started at {@code leaderStartMillis} (epoch ms, 0
   * if unknown): the leader and everything it started that stayed in the session. Linux does not
   * reuse a session id while a process of that session lives, so when the leader is gone the
   * members found are its own; when a process with the leader's pid lives but started at another
   * time, the id was reused by an unrelated session and nothing is returned.
   */
  static List<ProcessHandle> sessionMembers(long session, long leaderStartMillis) {
    List<ProcessHandle> members = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return members;
    }
    ProcessHandle leader =
        ProcessHandle.of(session).filter(ProcessTreeTerminator::liveNotZombie).orElse(null);
    if (leader != null && leaderStartMillis != 0) {
      long started = leader.info().startInstant().map(i -> i.toEpochMilli()).orElse(-1L);
      // start times have clock-tick precision
      if (Math.abs(started - leaderStartMillis) > 50) {
        return members;
      }
    }
    long self = ProcessHandle.current().pid();
    try (Stream<Path> entries = Files.list(PROC)) {
      entries
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> inSessionAndLive(p.resolve("stat"), session))
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .filter(pid -> pid != self)
          .map(ProcessHandle::of)
          .flatMap(java.util.Optional::stream)
          .forEach(members::add);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not list the processes of session {}: {}", session, e.getMessage());
    }
    return members;
  }

  private static boolean liveNotZombie(ProcessHandle h) {
    return h.isAlive() && !zombie(PROC.resolve(Long.toString(h.pid())).resolve("stat"));
  }

  private static boolean zombie(Path stat) {
    String[] fields = statFields(stat);
    return fields == null || fields[0].equals("Z");
  }

  private static boolean inSessionAndLive(Path stat, long session) {
    String[] fields = statFields(stat);
    // state ppid pgrp session ...
    return fields != null && !fields[0].equals("Z") && Long.parseLong(fields[3]) == session;
  }

  /** The fields of /proc/PID/stat after "pid (comm) ", or null when the process is gone. */
  private static String[] statFields(Path stat) {
    try {
      String text = Files.readString(stat, StandardCharsets.UTF_8);
      return text.substring(text.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void stop(long processGroup, List<ProcessHandle> tree) {
    signalGroup(processGroup, "TERM");
    tree.forEach(ProcessHandle::destroy);
    boolean interrupted = false;
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (anyAlive(processGroup, tree) && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (anyAlive(processGroup, tree)) {
      signalGroup(processGroup, "KILL");
      tree.forEach(ProcessHandle::destroyForcibly);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean anyAlive(long processGroup, List<ProcessHandle> tree) {
    return tree.stream().anyMatch(ProcessHandle::isAlive) || groupAlive(processGroup);
  }

  private void signalGroup(long processGroup, String signal) {
    if (killCommand == null) {
      return;
    }
    try {
      Process kill =
          new ProcessBuilder(killCommand.toString(), "-s", signal, "--", "-" + processGroup)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor();
    } catch (IOException e) {
      LOG.warn("could not signal process group {}: {}", processGroup, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a live (not zombie) process is in the group; false where /proc cannot tell. */
  static boolean groupAlive(long processGroup) {
    if (!Files.isDirectory(PROC)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(PROC)) {
      return entries
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .anyMatch(p -> inGroupAndLive(p.resolve("stat"), processGroup));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean inGroupAndLive(Path stat, long processGroup) {
    try {
      String text = Files.readString(stat, StandardCharsets.UTF_8);
      // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses.
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]) == processGroup && !fields[0].equals("Z");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
