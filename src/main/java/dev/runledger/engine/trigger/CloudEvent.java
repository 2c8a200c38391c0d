package dev.runledger.engine.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Json;

/**
 * A CloudEvents 1.0 event as the engine keeps it: what a run's {@code trigger.event} holds.
 *
 * @param subject null when absent
 * @param time RFC 3339, or null
 * @param specversion always {@code 1.0} (the only version accepted)
 * @param datacontenttype the data's media type as sent, or null
 * @param dataschema a URI, or null
 * @param extensions the extension attributes by name (strings, integers, booleans); empty for none
 * @param data the data as JSON (parsed JSON, or text); null when absent or binary
 * @param dataBase64 binary data (a media type that is neither JSON nor text), base64; else null
 */
public record CloudEvent(
    String id,
    String source,
    String type,
    String subject,
    String time,
    String specversion,
    String datacontenttype,
    String dataschema,
    ObjectNode extensions,
    JsonNode data,
    String dataBase64) {

  /** The version of the CloudEvents specification the engine reads and writes. */
  public static final String SPEC_VERSION = "1.0";

  /** An event the engine makes itself (a webhook call, an emit): no extensions, JSON data. */
  public CloudEvent(
      String id, String source, String type, String subject, String time, JsonNode data) {
    this(id, source, type, subject, time, SPEC_VERSION, null, null, Json.object(), data, null);
  }

  /**
   * {@code {specversion, id, source, type, subject, time, datacontenttype, dataschema, extensions,
   * data}}, and {@code data_base64} for binary data.
   */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("specversion", specversion);
    n.put("id", id);
    n.put("source", source);
    n.put("type", type);
    n.put("subject", subject);
    n.put("time", time);
    n.put("datacontenttype", datacontenttype);
    n.put("dataschema", dataschema);
    n.set("extensions", extensions == null ? Json.object() : extensions);
    n.set("data", data == null ? NullNode.getInstance() : data);
    if (dataBase64 != null) {
      n.put("data_base64", dataBase64);
    }
    return n;
  }
}
