package dev.runledger.engine.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Json;

/**
 * A CloudEvents 1.0 event as the engine keeps it: what a run's {@code trigger.event} holds.
 *
 * @param subject null when absent
 * @param time RFC 3339 as sent, or null
 */
public record CloudEvent(
    String id, String source, String type, String subject, String time, JsonNode data) {

  /** {@code {id, source, type, subject, time, data}}. */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("source", source);
    n.put("type", type);
    n.put("subject", subject);
    n.put("time", time);
    n.set("data", data == null ? NullNode.getInstance() : data);
    return n;
  }
}
