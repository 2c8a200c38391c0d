package dev.runledger.cli;

import java.util.Set;

/**
 * Colour for status words, on an interactive terminal only and never when {@code NO_COLOR} is set
 * to anything (https://no-color.org) or {@code TERM} is {@code dumb}: piped or redirected output
 * has no escape codes.
 */
final class TerminalColours {
  static final TerminalColours NONE = new TerminalColours(false);

  private static final Set<String> GOOD = Set.of("completed", "succeeded", "approved", "ok");
  private static final Set<String> BAD =
      Set.of("failed", "cancelled", "rejected", "expired", "invalid");
  private static final Set<String> WAITING =
      Set.of("pending", "queued", "awaiting-approval", "cancelling");
  private static final Set<String> QUIET = Set.of("skipped", "idempotent-replay");

  private final boolean enabled;

  private TerminalColours(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Colour when standard output is a terminal and neither NO_COLOR (set and not empty) nor
   * TERM=dumb says no.
   */
  static TerminalColours of(ClientEnvironment env) {
    boolean wanted =
        env.terminal() && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
    return wanted ? new TerminalColours(true) : NONE;
  }

  boolean enabled() {
    return enabled;
  }

  /** A run, task or approval status in its colour: green, red, yellow, cyan (running) or dim. */
  String status(String word) {
    if (!enabled || word == null) {
      return word;
    }
    if (GOOD.contains(word)) return paint("32", word);
    if (BAD.contains(word)) return paint("31", word);
    if (WAITING.contains(word)) return paint("33", word);
    if (word.equals("running")) return paint("36", word);
    if (QUIET.contains(word)) return paint("2", word);
    return word;
  }

  /** A failure message in red. */
  String failure(String text) {
    return enabled ? paint("31", text) : text;
  }

  private static String paint(String code, String text) {
    return "\u001b[" + code + "m" + text + "\u001b[0m";
  }
}
