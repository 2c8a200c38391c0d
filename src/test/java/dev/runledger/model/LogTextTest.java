package dev.runledger.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void control_characters_are_shown_as_escapes_and_a_tab_stays() {
    assertThat(LogText.visible("a\rb\nc\u001b[31md\u0007e\u0000f\u007fg\u009bh\u2028i\tj"))
        .isEqualTo("a\\rb\\nc\\x1b[31md\\x07e\\x00f\\x7fg\\x9bh\\u2028i\tj");
  }

  @Test
  void a_line_without_control_characters_is_returned_as_is() {
    String line = "plain text, ünïcode and a \\ backslash";
    assertThat(LogText.visible(line)).isSameAs(line);
    assertThat(LogText.visible(null)).isEmpty();
  }
}
