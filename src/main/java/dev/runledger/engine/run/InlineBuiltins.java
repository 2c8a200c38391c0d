package dev.runledger.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.ActionDefinition;
import java.util.Set;

/**
 * The built-in actions that end at once and touch nothing outside the attempt: {@code noop}, {@code
 * log} and {@code fail}. Their jobs are run by the claim itself, on the writer, in the claim's
 * transaction (through the same attempt runner path as on a worker), and need no worker thread. Not
 * {@code sleep} (a durable timer) nor {@code emit} (it posts an event through the engine).
 */
public final class InlineBuiltins {
  private static final Set<String> INLINE = Set.of("noop", "log", "fail");

  private InlineBuiltins() {}

  public static boolean runsInline(ActionDefinition action) {
    if (action == null || !"builtin".equals(action.kind())) {
      return false;
    }
    JsonNode spec = action.spec();
    return spec != null
        && spec.isObject()
        && spec.size() == 1
        && INLINE.contains(spec.fieldNames().next());
  }
}
