package dev.runledger.engine.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.definition.Definitions;
import dev.runledger.definition.SecretMasker;
import dev.runledger.executor.TemplateException;
import dev.runledger.executor.Templates;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The executors' view of templates: CEL over the attempt's variables, with secrets masked. */
final class EngineTemplates implements Templates {
  private final Definitions definitions;
  private final Supplier<Map<String, Object>> variablesSource;
  private final SecretMasker mask;
  private Map<String, Object> variables;

  /** {@code variables} is asked once, when the first template is rendered. */
  EngineTemplates(
      Definitions definitions, Supplier<Map<String, Object>> variables, SecretMasker mask) {
    this.definitions = definitions;
    this.variablesSource = variables;
    this.mask = mask;
  }

  private synchronized Map<String, Object> variables() {
    if (variables == null) {
      variables = variablesSource.get();
    }
    return variables;
  }

  @Override
  public JsonNode render(JsonNode template, Map<String, Object> extra) {
    Map<String, Object> variables = variables();
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

  @Override
  public int maskLeading(String text, StringBuilder out) {
    return mask.maskLeading(text, out);
  }

  @Override
  public JsonNode mask(JsonNode value) {
    return mask.mask(value);
  }
}
