package dev.runledger.executor;

import static dev.runledger.executor.TestAttemptContext.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link CommandExecutorTest} again with the command in the bubblewrap sandbox (abort
 * and timeout still end the whole tree, evidence still names the executable), and what the sandbox
 * itself promises. Fails, rather than skips, where bubblewrap does not work.
 */
class SandboxedCommandExecutorTest extends CommandExecutorTest {
  private static final Path BWRAP = Path.of("/usr/bin/bwrap");
  private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

  @Override
  CommandExecutor executor(Duration killGrace) {
    assertThat(CommandIsolation.sandboxProblem(BWRAP))
        .as("bubblewrap must work here (apt-get install -y bubblewrap)")
        .isNull();
    return new CommandExecutor(
        killGrace,
        CommandExecutor.defaultBaseEnvironment(),
        CommandIsolation.sandbox(BWRAP, List.of(), List.of(TMP)));
  }

  @Override
  java.util.Set<String> isolationVariables() {
    return java.util.Set.of("PWD");
  }

  private static String script(String text) {
    return "{\"script\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(text) + "}";
  }

  @Test
  void the_command_sees_only_its_own_processes_and_not_the_hidden_directories() throws Exception {
    Path data = Files.createTempDirectory("runledger-hidden");
    Files.writeString(data.resolve("secret.key"), "k3y");
    Path work = Files.createDirectories(data.resolve("work/run/task/1"));
    CommandExecutor hiding =
        new CommandExecutor(
            Duration.ofSeconds(2),
            CommandExecutor.defaultBaseEnvironment(),
            CommandIsolation.sandbox(BWRAP, List.of(data), List.of(TMP)));
    RecordingLog log = new RecordingLog();

    AttemptResult result =
        hiding.execute(
            anAttempt(work)
                .spec(
                    script(
                        "echo \"pids $(ls /proc | grep -c '^[0-9]')\"\n"
                            + "echo \"self $(tr '\\0' ' ' < /proc/"
                            + ProcessHandle.current().pid()
                            + "/environ 2>/dev/null)\"\n"
                            + "echo \"key $(cat "
                            + data
                            + "/secret.key 2>/dev/null)\"\n"
                            + "echo ok > \"$PWD/written\"\n"))
                .log(log)
                .build());

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    // bubblewrap's init, bash and the command substitutions: not the host's processes
    int pids = Integer.parseInt(log.stdout.get(0).substring(5));
    assertThat(pids).isLessThan(10);
    assertThat(log.stdout)
        .as("the server's environment and the hidden key are not readable")
        .anyMatch(l -> l.strip().equals("self"))
        .anyMatch(l -> l.strip().equals("key"));
    assertThat(work.resolve("written")).hasContent("ok");
  }

  @Test
  void abort_gives_the_command_its_term_grace_before_the_sandbox_is_torn_down() throws Exception {
    AbortSignal abort = new AbortSignal();
    RecordingLog log = new RecordingLog();
    CompletableFuture<AttemptResult> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return executor(Duration.ofSeconds(5))
                    .execute(
                        anAttempt(workDir)
                            .spec(
                                script(
                                    "trap 'echo cleaned > \"$PWD/cleaned\"; exit 1' TERM\n"
                                        + "echo ready\nsleep 60 &\nwait\n"))
                            .log(log)
                            .abortSignal(abort)
                            .build());
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(10, TimeUnit.SECONDS).until(() -> log.stdout.contains("ready"));

    abort.abort("aborted by carol");

    assertThat(result.get(15, TimeUnit.SECONDS)).isInstanceOf(AttemptResult.Failed.class);
    assertThat(workDir.resolve("cleaned")).hasContent("cleaned");
  }
}
