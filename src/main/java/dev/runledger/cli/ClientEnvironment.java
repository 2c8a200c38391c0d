package dev.runledger.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What client commands take from the process around them: environment variables, whether standard
 * output is an interactive terminal, the clock, and how often {@code --watch} polls. Tests build
 * one from a map instead of the real environment.
 */
public record ClientEnvironment(
    Map<String, String> variables, boolean terminal, Clock clock, Duration pollInterval) {

  public ClientEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(pollInterval, "pollInterval");
  }

  /** The real process: {@code System.getenv()}, a console check, the system clock, 300 ms polls. */
  public static ClientEnvironment system() {
    boolean terminal =
        System.console() != null && !"dumb".equals(System.getenv().getOrDefault("TERM", ""));
    return new ClientEnvironment(
        System.getenv(), terminal, Clock.systemUTC(), Duration.ofMillis(300));
  }

  /** A non-interactive environment with the given variables (for tests and embedding). */
  public static ClientEnvironment of(Map<String, String> variables) {
    return new ClientEnvironment(variables, false, Clock.systemUTC(), Duration.ofMillis(300));
  }

  public ClientEnvironment withClock(Clock newClock) {
    return new ClientEnvironment(variables, terminal, newClock, pollInterval);
  }

  public ClientEnvironment withPollInterval(Duration interval) {
    return new ClientEnvironment(variables, terminal, clock, interval);
  }

  public ClientEnvironment withTerminal(boolean isTerminal) {
    return new ClientEnvironment(variables, isTerminal, clock, pollInterval);
  }

  String get(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
