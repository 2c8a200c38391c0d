package dev.runledger.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process against a stub server with captured output. */
final class CliHarness {
  static final Instant NOW = Instant.parse("2026-11-21T07:00:00Z");
  static final String TOKEN = "rl_test_token";

  /** What one invocation printed and returned. */
  record Result(int exitCode, String out, String err) {}

  private CliHarness() {}

  static ClientEnvironment env(StubServer server) {
    return env(Map.of("RUNLEDGER_URL", server.url(), "RUNLEDGER_TOKEN", TOKEN));
  }

  static ClientEnvironment env(Map<String, String> variables) {
    return ClientEnvironment.of(variables)
        .withClock(Clock.fixed(NOW, ZoneOffset.UTC))
        .withPollInterval(Duration.ofMillis(10));
  }

  static Result run(StubServer server, String... args) {
    return run(env(server), args);
  }

  static Result run(ClientEnvironment env, String... args) {
    CommandLine cli = Cli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
