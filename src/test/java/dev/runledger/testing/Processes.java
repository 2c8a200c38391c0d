package dev.runledger.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/** Finds (and cleans up) processes by what they carry, through /proc (Linux). */
public final class Processes {
  private Processes() {}

  /** Live processes whose command line has an argument equal to {@code marker}. */
  public static List<ProcessHandle> withArgument(String marker) {
    return matching(pid -> nulSeparated(pid, "cmdline").contains(marker));
  }

  /** Live processes whose environment has {@code name=value} for any of {@code values}. */
  public static List<ProcessHandle> withEnvironment(String name, java.util.Set<String> values) {
    return matching(
        pid ->
            nulSeparated(pid, "environ").stream()
                .anyMatch(
                    e ->
                        e.startsWith(name + "=")
                            && values.contains(e.substring(name.length() + 1))));
  }

  /** Kills what a test left behind (a failed test must not leave sleepers running). */
  public static void killAll(List<ProcessHandle> processes) {
    processes.forEach(ProcessHandle::destroyForcibly);
  }

  private static List<ProcessHandle> matching(Predicate<Long> test) {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self && p.isAlive())
        .filter(p -> !zombie(p.pid()))
        .filter(p -> test.test(p.pid()))
        .toList();
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  private static List<String> nulSeparated(long pid, String file) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), file));
      return List.of(new String(bytes, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
