package dev.runledger.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runledger.model.YamlDocuments.Document;
import org.junit.jupiter.api.Test;

class YamlDocumentsTest {
  @Test
  void a_text_without_markers_is_one_document_as_it_is() {
    String text = "# c\nkind: action\nname: a\n";
    assertThat(YamlDocuments.split(text)).containsExactly(new Document(1, text));
  }

  @Test
  void documents_start_at_their_marker_padded_to_their_line_and_empty_ones_are_dropped() {
    String text =
        "%YAML 1.2\n---\nkind: action\n--- # second\nname: b\n...\n# only a comment\n---\n"
            + "---\t\nx: 1";
    assertThat(YamlDocuments.split(text))
        .containsExactly(
            new Document(1, "%YAML 1.2\n---\nkind: action\n"),
            new Document(4, "\n\n\n--- # second\nname: b\n...\n"),
            new Document(9, "\n".repeat(8) + "---\t\nx: 1"));
    assertThat(YamlDocuments.split("---\n# empty\n---\n---\na: 1\n"))
        .containsExactly(new Document(4, "\n\n\n---\na: 1\n"));
  }

  @Test
  void a_marker_is_only_three_dashes_at_the_start_of_a_line_followed_by_space_or_its_end() {
    String text = "a: |\n  --- indented\n---x: not a marker\nb: ----\n";
    assertThat(YamlDocuments.split(text)).containsExactly(new Document(1, text));
  }

  @Test
  void a_marker_with_content_on_its_line_starts_a_document_that_holds_it() {
    assertThat(YamlDocuments.split("a: 1\n--- {b: 2}\n"))
        .containsExactly(new Document(1, "a: 1\n"), new Document(2, "\n--- {b: 2}\n"));
    assertThat(YamlDocuments.split("# nothing\n---\n")).isEmpty();
  }
}
