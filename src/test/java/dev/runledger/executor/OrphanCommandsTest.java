package dev.runledger.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node ends at start of what its killed predecessor's commands left running. */
class OrphanCommandsTest {
  private final CommandExecutor executor = new CommandExecutor(Duration.ofSeconds(2));
  private final List<Process> started = new ArrayList<>();
  @TempDir Path workRoot;

  @AfterEach
  void cleanUp() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** A command in its own session with a background child, as the executor starts one. */
  private Process session(String marker) throws IOException {
    Process p =
        new ProcessBuilder("setsid", "bash", "-c", "sleep 600 & sleep 600; true", marker)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    started.add(p);
    return p;
  }

  private void record(Process p, String attemptDir, long startMillis) throws IOException {
    Path dir = Files.createDirectories(workRoot.resolve(attemptDir));
    Files.writeString(dir.resolve(CommandExecutor.SESSION_FILE), p.pid() + " " + startMillis);
  }

  private static long startMillis(Process p) {
    return p.toHandle().info().startInstant().orElseThrow().toEpochMilli();
  }

  private static void awaitChildren(Process p, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (p.descendants().count() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(p.descendants().count()).isGreaterThanOrEqualTo(count);
  }

  @Test
  void a_recorded_session_is_terminated_with_its_background_children() throws Exception {
    Process orphan = session("orphan-" + UUID.randomUUID());
    awaitChildren(orphan, 2);
    List<ProcessHandle> tree = new ArrayList<>(orphan.descendants().toList());
    tree.add(orphan.toHandle());
    record(orphan, "run_1/task/1", startMillis(orphan));

    int terminated = executor.terminateOrphans(workRoot);

    assertThat(terminated).isGreaterThanOrEqualTo(3);
    assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle h : tree) {
      h.onExit().get(5, TimeUnit.SECONDS);
      assertThat(h.isAlive()).as("pid " + h.pid()).isFalse();
    }
  }

  @Test
  void a_session_id_now_used_by_a_process_that_started_later_is_left_alone() throws Exception {
    Process unrelated = session("unrelated-" + UUID.randomUUID());
    awaitChildren(unrelated, 2);
    // The file says the leader started a minute before this process did: the id was reused.
    record(unrelated, "run_2/task/1", startMillis(unrelated) - 60_000);

    int terminated = executor.terminateOrphans(workRoot);

    assertThat(terminated).isZero();
    assertThat(unrelated.isAlive()).isTrue();
    assertThat(unrelated.descendants().count()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void nothing_recorded_means_nothing_terminated() {
    assertThat(executor.terminateOrphans(workRoot.resolve("missing"))).isZero();
    assertThat(executor.terminateOrphans(workRoot)).isZero();
  }
}
