package dev.runledger.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way of naming a file outside the working directory is refused; ordinary names pass. */
class FileNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/etc/passwd",
        "//etc/passwd",
        "/",
        "~/.ssh/id_rsa",
        "~root/x",
      })
  void absolute_names_are_refused(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "../x",
        "a/../../x",
        "a/..",
        "./..",
        "a//../x",
        "out/./../../etc/passwd",
      })
  void dot_dot_segments_are_refused(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaves the working directory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\\b", "..\\x", "\\\\server\\share\\x", "out\\..\\..\\x"})
  void backslashes_are_refused(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backslash");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "report.txt\u0000.png", "\u0000"})
  void nul_is_refused(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\rb", "tab\there", "del\u007f", "esc\u001b[31m"})
  void control_characters_are_refused(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // percent-encoded, in lower, upper and mixed case
        "%2e%2e%2fetc%2fpasswd",
        "%2E%2E%2Fetc%2Fpasswd",
        "%2e%2E/etc",
        "..%2fetc",
        "..%2Fetc",
        "%2e%2e",
        "a/%2e%2e/%2e%2e/x",
        "%2fetc%2fpasswd",
        "%2Fetc",
        "%5c..%5cx",
        "..%5Cx",
        "a%00b",
        "%7e/x",
        "c%3a/windows",
        "%0a",
        // double- and triple-encoded
        "%252e%252e%252fetc",
        "%252E%252e%252Fetc",
        "..%252f..%252fetc",
        "%252fetc",
        "a%2500b",
        "%25252e%25252e%25252f",
      })
  void percent_encoded_escapes_are_refused_in_any_case_and_depth(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is an encoded path escape");
  }

  @ParameterizedTest
  @ValueSource(strings = {"C:/Windows/x", "c:\\x", "C:", "z:evil", "D:relative"})
  void drive_letters_are_refused(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(".*(drive letter|backslash).*");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t", ".", "./", "./.", ".//./"})
  void names_of_no_file_are_refused(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(".*(empty|names no file|control character).*");
  }

  @ParameterizedTest
  @ValueSource(strings = {".runledger/state", ".RunLedger/x", ".runledger-evidence.json"})
  void the_engines_own_files_are_reserved_whatever_the_case(String name) {
    assertThatThrownBy(() -> FileNames.normalise(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
  }

  @Test
  void over_long_names_and_segments_are_refused() {
    assertThatThrownBy(() -> FileNames.normalise("a/".repeat(513)))
        .hasMessageContaining("longer than 1024");
    assertThatThrownBy(() -> FileNames.normalise("d/" + "x".repeat(256)))
        .hasMessageContaining("too long");
    assertThat(FileNames.normalise("d/" + "x".repeat(255))).isEqualTo("d/" + "x".repeat(255));
  }

  @Test
  void a_null_name_is_refused() {
    assertThatThrownBy(() -> FileNames.normalise(null)).hasMessageContaining("empty");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "report.txt|report.txt",
        "out/report.txt|out/report.txt",
        "./out/report.txt|out/report.txt",
        "out//report.txt|out/report.txt",
        "out/./report.txt|out/report.txt",
        "out/|out",
        "a///b////c|a/b/c",
        "...|...",
        "..foo|..foo",
        "foo..|foo..",
        "a/..b/c|a/..b/c",
        ".hidden|.hidden",
        "résumé final.pdf|résumé final.pdf",
        "100%|100%",
        "50%off.txt|50%off.txt",
        "a+b.txt|a+b.txt",
        "%41.txt|%41.txt",
        "build/*.jar|build/*.jar",
        "dir/C:x|dir/C:x",
        "1:2.txt|1:2.txt",
        "x~y|x~y",
      })
  void ordinary_names_are_accepted_and_normalised(String name, String expected) {
    assertThat(FileNames.normalise(name)).isEqualTo(expected);
  }
}
