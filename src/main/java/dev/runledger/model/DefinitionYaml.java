package dev.runledger.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;

/**
 * A stored definition (JSON, as validated) written back as YAML for people to read: the web catalog
 * shows it and diffs revisions in it, and {@code runledger diff} compares in it.
 */
public final class DefinitionYaml {
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private DefinitionYaml() {}

  public static String of(JsonNode definition) {
    try {
      return YAML.writeValueAsString(definition);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
