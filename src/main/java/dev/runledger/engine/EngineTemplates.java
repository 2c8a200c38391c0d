package dev.runledger.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.definition.Definitions;
import dev.runledger.definition.SecretMasker;
import dev.runledger.executor.TemplateException;
import dev.runledger.executor.Templates;
import java.util.HashMap;
import java.util.Map;

/** The executors' view of templates: CEL over the attempt's variables, with secrets masked. */
final class EngineTemplates implements Templates {
  private final Definitions definitions;
  private final Map<String, Object> variables;
  private final SecretMasker mask;

  EngineTemplates(Definitions definitions, Map<String, Object> variables, SecretMasker mask) {
    this.definitions = definitions;
    this.variables = variables;
    this.mask = mask;
  }

  @Override
  public JsonNode render(JsonNode template, Map<String, Object> extra) {
    Map<String, Object> all = variables;
    if (!extra.isEmpty()) {
      all = new HashMap<>(variables);
      all.putAll(extra);
    }
    try {
      return definitions.render(template, all);
    } catch (RuntimeException e) {
      throw new TemplateException(mask.mask(e.getMessage()), e);
    }
  }

  @Override
  public String mask(String text) {
    return mask.mask(text);
  }
}
