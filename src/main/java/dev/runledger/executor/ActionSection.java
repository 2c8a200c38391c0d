package dev.runledger.executor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/** The check an executor's section of an action starts with: an object of known keys. */
final class ActionSection {
  private ActionSection() {}

  /**
   * @param kind the section's name ({@code http}, {@code command})
   * @param shapeHint what to write when the section is not an object
   * @param keysHint which keys to use when one is unknown
   */
  static void check(JsonNode spec, String kind, Set<String> keys, String shapeHint, String keysHint)
      throws AttemptFailedException {
    if (spec == null || !spec.isObject()) {
      throw AttemptFailedException.deterministic(
          "the " + kind + " section is not an object", shapeHint);
    }
    for (Iterator<String> names = spec.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!keys.contains(name)) {
        throw AttemptFailedException.deterministic(
            "unknown key in " + kind + ": " + name, keysHint);
      }
    }
  }
}
