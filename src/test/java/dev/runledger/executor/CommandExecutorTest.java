package dev.runledger.executor;

import static dev.runledger.executor.TestAttemptContext.anAttempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.FailureKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandExecutorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommandExecutor executor = executor(Duration.ofSeconds(2));

  /** Variables the isolation itself sets (bubblewrap sets PWD to the working directory). */
  Set<String> isolationVariables() {
    return Set.of();
  }

  /** The executor under test: subclasses run every case in another isolation mode. */
  CommandExecutor executor(Duration killGrace) {
    return new CommandExecutor(killGrace);
  }

  @TempDir Path workDir;

  private static ObjectNode run(String... argv) {
    ObjectNode spec = JSON.createObjectNode();
    Arrays.stream(argv).forEach(spec.putArray("run")::add);
    return spec;
  }

  private static ObjectNode script(String text) {
    return JSON.createObjectNode().put("script", text);
  }

  private AttemptResult execute(TestAttemptContext.Builder context) throws InterruptedException {
    return executor.execute(context.build());
  }

  /** The arguments a process received, written NUL-separated to args.bin by the test script. */
  private List<String> receivedArgs() throws Exception {
    String text = Files.readString(workDir.resolve("args.bin"), StandardCharsets.UTF_8);
    return Arrays.asList(text.split("\0", -1)).subList(0, text.split("\0", -1).length - 1);
  }

  private static String uniqueSleep() {
    return "6" + ThreadLocalRandom.current().nextInt(10, 99) + "." + System.nanoTime() % 1_000_000;
  }

  private static List<ProcessHandle> processesWithArgument(String argument) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(argument)).orElse(false))
        .collect(Collectors.toList());
  }

  @Test
  void argv_elements_reach_the_process_as_literal_single_arguments_and_nothing_is_executed()
      throws Exception {
    Path marker = workDir.resolve("pwned");
    List<String> hostile =
        List.of(
            "$(touch " + marker + ")",
            "`touch " + marker + "`",
            "a; touch " + marker,
            "a | touch " + marker,
            "line1\ntouch " + marker,
            "--option=value",
            "${HOME}",
            "it's \"quoted\" && ok",
            "");
    ObjectNode spec =
        run("bash", "-c", "printf '%s\\0' \"$@\" > args.bin", "argv0", "${{ inputs.name }}");
    hostile.forEach(spec.withArray("run")::add);
    String injected = "$(touch " + marker + "); rm -rf /nonexistent";

    AttemptResult result = execute(anAttempt(workDir).spec(spec).inputs(Map.of("name", injected)));

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    assertThat(receivedArgs())
        .containsExactlyElementsOf(
            java.util.stream.Stream.concat(java.util.stream.Stream.of(injected), hostile.stream())
                .toList());
    assertThat(marker).doesNotExist();
  }

  @Test
  void an_option_with_value_is_echoed_exactly() throws Exception {
    RecordingLog log = new RecordingLog();

    AttemptResult result =
        execute(anAttempt(workDir).spec(run("echo", "--option=value", "a b", "*")).log(log));

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    assertThat(((AttemptResult.Succeeded) result).exitCode()).isZero();
    assertThat(log.stdout).containsExactly("--option=value a b *");
  }

  @Test
  void script_receives_parameters_only_through_the_environment() throws Exception {
    ObjectNode spec = script("printf '%s' \"$GREETING\" > greeting.txt\necho \"hello $GREETING\"");
    spec.putObject("env").put("GREETING", "${{ inputs.who }}");
    RecordingLog log = new RecordingLog();
    String who = "$(touch " + workDir.resolve("pwned") + ")";

    AttemptResult result =
        execute(anAttempt(workDir).spec(spec).inputs(Map.of("who", who)).log(log));

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    assertThat(Files.readString(workDir.resolve("greeting.txt"))).isEqualTo(who);
    assertThat(log.stdout).containsExactly("hello " + who);
    assertThat(workDir.resolve("pwned")).doesNotExist();
  }

  @Test
  void script_with_a_template_expression_is_refused() throws Exception {
    AttemptResult result = execute(anAttempt(workDir).spec(script("echo ${{ inputs.x }}")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().hint()).contains("env");
            });
  }

  @Test
  void script_runs_with_bash_errexit_and_nounset() throws Exception {
    AttemptResult result =
        execute(anAttempt(workDir).spec(script("echo \"$UNSET_VAR\"\necho after")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.exitCode()).isNotZero();
              assertThat(f.failure().cause()).contains("UNSET_VAR");
            });
  }

  @Test
  void outputs_are_read_from_key_value_lines() throws Exception {
    AttemptResult result =
        execute(
            anAttempt(workDir)
                .spec(
                    script(
                        "echo count=3 >> \"$RUNLEDGER_OUTPUT\"\n"
                            + "echo 'url=https://x.example/a?b=c' >> \"$RUNLEDGER_OUTPUT\"")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class,
            s ->
                assertThat(s.outputs())
                    .isEqualTo(
                        JSON.createObjectNode()
                            .put("count", "3")
                            .put("url", "https://x.example/a?b=c")));
  }

  @Test
  void outputs_are_read_from_one_json_object() throws Exception {
    AttemptResult result =
        execute(
            anAttempt(workDir)
                .spec(script("echo '{\"count\": 3, \"ok\": true}' > \"$RUNLEDGER_OUTPUT\"")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class,
            s ->
                assertThat(s.outputs())
                    .isEqualTo(JSON.createObjectNode().put("count", 3).put("ok", true)));
  }

  @Test
  void no_output_file_gives_empty_outputs() throws Exception {
    AttemptResult result = execute(anAttempt(workDir).spec(run("true")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class, s -> assertThat(s.outputs()).isEmpty());
  }

  @Test
  void a_malformed_output_file_fails_naming_the_line() throws Exception {
    AttemptResult result =
        execute(
            anAttempt(workDir)
                .spec(script("printf 'a=1\\nthis is not a pair\\n' > \"$RUNLEDGER_OUTPUT\"")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause()).contains("line 2").contains("this is not a pair");
              assertThat(f.exitCode()).isZero();
            });
  }

  @Test
  void progress_lines_report_progress_and_stay_in_the_log() throws Exception {
    RecordingLog log = new RecordingLog();

    execute(
        anAttempt(workDir)
            .spec(script("echo '::progress 40 copying files'\necho '::progress 100'"))
            .log(log));

    assertThat(log.progress)
        .containsExactly(
            new RecordingLog.Progress(40, "copying files"), new RecordingLog.Progress(100, ""));
    assertThat(log.stdout).containsExactly("::progress 40 copying files", "::progress 100");
  }

  @Test
  void stdout_and_stderr_are_logged_line_by_line() throws Exception {
    RecordingLog log = new RecordingLog();

    execute(anAttempt(workDir).spec(script("echo one\necho two >&2\necho three")).log(log));

    assertThat(log.stdout).containsExactly("one", "three");
    assertThat(log.stderr).containsExactly("two");
  }

  @Test
  void secrets_are_masked_in_log_lines() throws Exception {
    RecordingLog log = new RecordingLog();
    ObjectNode spec = script("echo \"token is $TOKEN\"");
    spec.putObject("env").put("TOKEN", "${{ secrets.TOKEN }}");

    execute(
        anAttempt(workDir)
            .spec(spec)
            .templates(new TestTemplates(Map.of(), Map.of("TOKEN", "s3cr3t-value")))
            .log(log));

    assertThat(log.stdout).containsExactly("token is ***");
  }

  @Test
  void a_carriage_return_ends_a_line_so_text_after_it_cannot_pose_as_another_stream()
      throws Exception {
    RecordingLog log = new RecordingLog();

    execute(
        anAttempt(workDir)
            .spec(
                script(
                    "printf 'x\\r2001-01-01T00:00:00.000000Z stderr FORGED\\n'\n"
                        + "printf 'crlf\\r\\nnext\\n'\n"
                        + "printf 'bell \\a and escape \\033[31m\\n'"))
            .log(log));

    assertThat(log.stdout)
        .containsExactly(
            "x",
            "2001-01-01T00:00:00.000000Z stderr FORGED",
            "crlf",
            "next",
            "bell \u0007 and escape \u001b[31m");
    assertThat(log.stderr).isEmpty();
  }

  /** Runs {@code spec} with the secret {@code value} in its environment as TOKEN. */
  private AttemptResult executeWithSecret(ObjectNode spec, String value, RecordingLog log)
      throws InterruptedException {
    spec.putObject("env").put("TOKEN", "${{ secrets.TOKEN }}");
    return execute(
        anAttempt(workDir)
            .spec(spec)
            .templates(new TestTemplates(Map.of(), Map.of("TOKEN", value)))
            .log(log));
  }

  @Test
  void a_secret_across_the_split_of_a_long_line_is_masked_whole() throws Exception {
    String secret = "s3cr3t-value-0123456789";
    RecordingLog log = new RecordingLog();
    int before = StreamLineReader.MAX_LINE_CHARS - 10;
    ObjectNode spec =
        script("printf '%*s' " + before + " '' | tr ' ' a\nprintf '%s tail\\n' \"$TOKEN\"");

    executeWithSecret(spec, secret, log);

    assertThat(log.stdout).hasSize(1);
    assertThat(String.join("", log.stdout)).isEqualTo("a".repeat(before) + "*** tail");
  }

  @Test
  void a_very_long_line_is_passed_on_in_pieces_with_every_secret_masked_whole() throws Exception {
    String secret = "s3cr3t-value-0123456789";
    RecordingLog log = new RecordingLog();
    // A secret across each of the first five 16 KiB boundaries of the line as printed.
    ObjectNode spec =
        script(
            "len=0; for k in 1 2 3 4 5; do n=$((16384 * k - 10 - len));"
                + " printf '%*s' $n '' | tr ' ' b; printf '%s' \"$TOKEN\";"
                + " len=$((len + n + ${#TOKEN})); done; echo");

    executeWithSecret(spec, secret, log);

    StringBuilder expected = new StringBuilder();
    int printed = 0;
    for (int k = 1; k <= 5; k++) {
      int n = StreamLineReader.MAX_LINE_CHARS * k - 10 - printed;
      expected.append("b".repeat(n)).append("***");
      printed += n + secret.length();
    }
    assertThat(log.stdout).hasSizeGreaterThan(1);
    assertThat(log.stdout)
        .allSatisfy(
            piece -> assertThat(piece).hasSizeLessThanOrEqualTo(StreamLineReader.MAX_LINE_CHARS));
    assertThat(String.join("", log.stdout)).isEqualTo(expected.toString());
  }

  @Test
  void an_output_file_named_with_a_secret_is_kept_under_its_masked_name() throws Exception {
    ObjectNode spec = script("echo report > \"report-$TOKEN.txt\"");
    spec.putObject("outputs").putArray("files").add("report-*.txt");

    AttemptResult result = executeWithSecret(spec, "s3cr3t-value", new RecordingLog());

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Succeeded.class,
            s ->
                assertThat(s.files())
                    .extracting(ProducedFile::name)
                    .containsExactly("report-***.txt"));
  }

  @Test
  void an_output_file_whose_name_holds_a_newline_fails_the_attempt_and_forges_no_log_line()
      throws Exception {
    RecordingLog log = new RecordingLog();
    ObjectNode spec =
        script(
            "ln -s /nonexistent \"$(printf 'b\\n2001-01-01T00:00:00.000000Z stderr FORGED.txt')\"");
    spec.putObject("outputs").putArray("files").add("*.txt");

    AttemptResult result = execute(anAttempt(workDir).spec(spec).log(log));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause())
                  .contains("output file's name is refused")
                  .contains("control character")
                  .doesNotContain("\n");
            });
    assertThat(log.stderr).noneMatch(line -> line.contains("\n"));
  }

  @Test
  void a_retryable_exit_code_is_a_transient_failure() throws Exception {
    ObjectNode spec = script("echo 'database is locked' >&2\nexit 75");
    spec.putArray("retryableExitCodes").add(75);

    AttemptResult result = execute(anAttempt(workDir).spec(spec));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(f.exitCode()).isEqualTo(75);
              assertThat(f.failure().cause()).isEqualTo("exit code 75: database is locked");
            });
  }

  @Test
  void another_exit_code_is_a_deterministic_failure_with_the_last_stderr_line() throws Exception {
    ObjectNode spec = script("echo 'warming up' >&2\necho 'no such table: users' >&2\nexit 3");
    spec.putArray("retryableExitCodes").add(75);

    AttemptResult result = execute(anAttempt(workDir).spec(spec));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.exitCode()).isEqualTo(3);
              assertThat(f.failure().cause()).isEqualTo("exit code 3: no such table: users");
              assertThat(f.failure().hint()).contains("stderr");
            });
  }

  @Test
  void a_command_not_on_path_fails_deterministically_naming_it() throws Exception {
    AttemptResult result = execute(anAttempt(workDir).spec(run("foo-bar-not-installed", "x")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause()).isEqualTo("command not found: foo-bar-not-installed");
              assertThat(f.failure().hint()).isNotBlank();
            });
  }

  @Test
  void the_hint_for_a_command_not_on_path_does_not_disclose_the_servers_path() throws Exception {
    AttemptResult result = execute(anAttempt(workDir).spec(run("foo-bar-not-installed", "x")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f ->
                assertThat(f.failure().hint())
                    .contains("absolute path", "env.PATH")
                    .doesNotContain(CommandExecutor.defaultBaseEnvironment().get("PATH")));
  }

  @Test
  void a_relative_program_path_is_resolved_in_the_working_directory() throws Exception {
    Path tool = workDir.resolve("tool.sh");
    Files.writeString(tool, "#!/bin/sh\necho from-tool\n");
    RecordingLog log = new RecordingLog();

    AttemptResult missing = execute(anAttempt(workDir).spec(run("./tool.sh")));
    tool.toFile().setExecutable(true);
    AttemptResult found = execute(anAttempt(workDir).spec(run("./tool.sh")).log(log));

    assertThat(missing)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> assertThat(f.failure().hint()).contains("not executable"));
    assertThat(found).isInstanceOf(AttemptResult.Succeeded.class);
    assertThat(log.stdout).containsExactly("from-tool");
  }

  @Test
  void a_command_that_outlives_its_timeout_is_killed_and_fails_transiently() throws Exception {
    String sleep = uniqueSleep();
    long start = System.nanoTime();

    AttemptResult result =
        execute(anAttempt(workDir).spec(run("sleep", sleep)).timeout(Duration.ofSeconds(1)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
              assertThat(f.failure().cause()).isEqualTo("timed out after 1s");
              assertThat(f.failure().hint()).isEqualTo("raise the timeout");
            });
    assertThat(processesWithArgument(sleep)).isEmpty();
  }

  @Test
  void abort_kills_the_whole_process_tree_including_background_children() throws Exception {
    String background = uniqueSleep();
    String orphan = uniqueSleep();
    String foreground = uniqueSleep();
    AbortSignal abort = new AbortSignal();
    CompletableFuture<AttemptResult> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return execute(
                    anAttempt(workDir)
                        .spec(
                            run(
                                "bash",
                                "-c",
                                // the orphan's parent exits at once: only its process group
                                // still ties it to the command
                                "sleep "
                                    + background
                                    + " & (sleep "
                                    + orphan
                                    + " &); sleep "
                                    + foreground))
                        .abortSignal(abort));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                !processesWithArgument(background).isEmpty()
                    && !processesWithArgument(orphan).isEmpty()
                    && !processesWithArgument(foreground).isEmpty());

    abort.abort("aborted by alice: wrong input");

    AttemptResult outcome = result.get(15, TimeUnit.SECONDS);
    assertThat(outcome)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().cause()).isEqualTo("aborted by alice: wrong input");
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
            });
    assertThat(processesWithArgument(background)).isEmpty();
    assertThat(processesWithArgument(orphan)).isEmpty();
    assertThat(processesWithArgument(foreground)).isEmpty();
  }

  @Test
  void background_children_left_behind_by_a_finished_command_are_stopped() throws Exception {
    String background = uniqueSleep();

    AttemptResult result =
        execute(anAttempt(workDir).spec(script("sleep " + background + " &\necho started")));

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    assertThat(processesWithArgument(background)).isEmpty();
  }

  @Test
  void an_attempt_aborted_before_it_starts_spawns_nothing() throws Exception {
    AbortSignal abort = new AbortSignal();
    abort.abort("aborted by bob: not needed");

    AttemptResult result =
        execute(
            anAttempt(workDir)
                .spec(run("touch", workDir.resolve("ran").toString()))
                .abortSignal(abort));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> assertThat(f.failure().cause()).isEqualTo("aborted by bob: not needed"));
    assertThat(workDir.resolve("ran")).doesNotExist();
  }

  @Test
  void the_server_environment_is_not_inherited() throws Exception {
    RecordingLog log = new RecordingLog();
    ObjectNode spec = run("env", "-0");
    spec.putObject("env").put("DECLARED", "yes");

    AttemptResult result =
        execute(
            anAttempt(workDir)
                .spec(spec)
                .log(log)
                .attempt(2)
                .idempotencyKey("kyc:42")
                .environment(Map.of("FROM_CONFIG", "1")));

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    Map<String, String> env =
        Arrays.stream(String.join("\n", log.stdout).split("\0"))
            .filter(entry -> entry.contains("="))
            .collect(
                Collectors.toMap(
                    entry -> entry.substring(0, entry.indexOf('=')),
                    entry -> entry.substring(entry.indexOf('=') + 1)));
    env.keySet().removeAll(isolationVariables());
    assertThat(env.keySet())
        .containsExactlyInAnyOrder(
            "PATH",
            "HOME",
            "LANG",
            "TMPDIR",
            "DECLARED",
            "FROM_CONFIG",
            "RUNLEDGER_RUN_ID",
            "RUNLEDGER_TASK",
            "RUNLEDGER_ATTEMPT",
            "RUNLEDGER_IDEMPOTENCY_KEY",
            "RUNLEDGER_OUTPUT");
    Set<String> serverOnly =
        System.getenv().keySet().stream()
            .filter(name -> !Set.of("PATH", "HOME", "LANG").contains(name))
            .collect(Collectors.toSet());
    assertThat(serverOnly).isNotEmpty();
    assertThat(env.keySet()).doesNotContainAnyElementsOf(serverOnly);
    assertThat(env)
        .containsEntry("TMPDIR", workDir.toString())
        .containsEntry("RUNLEDGER_RUN_ID", "run-1")
        .containsEntry("RUNLEDGER_TASK", "step")
        .containsEntry("RUNLEDGER_ATTEMPT", "2")
        .containsEntry("RUNLEDGER_IDEMPOTENCY_KEY", "kyc:42")
        .containsEntry("RUNLEDGER_OUTPUT", workDir.resolve(".runledger-output").toString());
  }

  @Test
  void a_program_from_the_working_directory_is_never_run_by_the_server_for_its_version()
      throws Exception {
    Path marker = workDir.resolve("probed");
    Path fake = workDir.resolve("bash");
    Files.writeString(
        fake, "#!/bin/sh\n[ \"$1\" = --version ] && touch '" + marker + "'\nexit 0\n");
    fake.toFile().setExecutable(true);

    AttemptResult result = execute(anAttempt(workDir).spec(run("./bash")));

    assertThat(result).isInstanceOf(AttemptResult.Succeeded.class);
    assertThat(marker).doesNotExist();
  }

  @Test
  void the_working_directory_is_the_attempts_directory() throws Exception {
    RecordingLog log = new RecordingLog();

    execute(anAttempt(workDir).spec(run("pwd")).log(log));

    assertThat(log.stdout).containsExactly(workDir.toRealPath().toString());
  }

  @Test
  void a_template_error_fails_deterministically_with_its_message() throws Exception {
    AttemptResult result = execute(anAttempt(workDir).spec(run("echo", "${{ inputs.missing }}")));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> {
              assertThat(f.failure().kind()).isEqualTo(FailureKind.DETERMINISTIC);
              assertThat(f.failure().cause()).contains("inputs.missing");
            });
  }

  @Test
  void run_and_script_together_are_refused() throws Exception {
    ObjectNode spec = run("true");
    spec.put("script", "true");

    AttemptResult result = execute(anAttempt(workDir).spec(spec));

    assertThat(result)
        .isInstanceOfSatisfying(
            AttemptResult.Failed.class,
            f -> assertThat(f.failure().cause()).contains("exactly one of run"));
  }
}
