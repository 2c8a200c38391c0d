package dev.runledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command of the one binary answers --help, and the root answers -V and completion. */
class CommandTreeTest {

  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  static void collect(CommandLine command, List<String> prefix, List<List<String>> paths) {
    paths.add(prefix);
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              // an alias appears under each of its names; the primary name is enough
              if (name.equals(sub.getCommandName())) {
                List<String> path = new ArrayList<>(prefix);
                path.add(name);
                collect(sub, path, paths);
              }
            });
  }

  @Test
  void every_command_and_subcommand_answers_help_with_its_usage() {
    List<List<String>> paths = new ArrayList<>();
    collect(Main.commandLine(), List.of(), paths);
    assertThat(paths)
        .extracting(p -> String.join(" ", p))
        .contains("serve", "bench", "db migrate", "runs show", "secrets list", "completion");

    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Outcome outcome = run(args.toArray(String[]::new));
      String name = String.join(" ", path);
      assertThat(outcome.code()).as(name + ": " + outcome.err()).isZero();
      assertThat(outcome.out())
          .as(name)
          .startsWith("Usage: runledger" + (path.isEmpty() ? "" : " " + name))
          .contains("-h, --help");
    }
  }

  @Test
  void the_root_prints_its_version() {
    for (String flag : new String[] {"-V", "--version"}) {
      Outcome outcome = run(flag);
      assertThat(outcome.code()).isZero();
      assertThat(outcome.out()).matches("runledger \\S+\\n");
    }
  }

  @Test
  void bash_completion_names_the_subcommands_and_their_options() {
    Outcome outcome = run("completion", "bash");

    assertThat(outcome.code()).as(outcome.err()).isZero();
    assertThat(outcome.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_runledger")
        .contains("serve", "trigger", "approvals", "secrets", "context", "completion")
        .contains("--watch", "--output");
  }

  @Test
  void completion_for_an_unknown_shell_is_a_usage_error() {
    Outcome outcome = run("completion", "fish");

    assertThat(outcome.code()).isEqualTo(2);
    assertThat(outcome.err()).isEqualTo("error: SHELL must be bash or zsh, not 'fish'\n");
  }
}
