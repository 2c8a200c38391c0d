package dev.runledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.engine.trigger.CloudEvent;
import dev.runledger.model.InvalidInputException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of a {@code POST /api/events}, in the three HTTP modes of CloudEvents: structured
 * ({@code application/cloudevents+json}, or plain JSON), binary ({@code ce-*} headers, any body)
 * and batched ({@code application/cloudevents-batch+json}, a JSON array of structured events). The
 * content type decides first, as the HTTP binding says; {@code ce-specversion} then means binary
 * mode.
 */
final class CloudEventRequests {
  static final String STRUCTURED = "application/cloudevents+json";
  static final String BATCH = "application/cloudevents-batch+json";

  /** The most events one batch may carry. */
  static final int MAX_BATCH = 100;

  /** The media types accepted when the request is not in binary mode. */
  static final List<String> ACCEPTED = List.of(STRUCTURED, BATCH, "application/json");

  /**
   * What a request carries.
   *
   * @param batch true for batched mode (the answer lists each event)
   */
  record Incoming(List<CloudEvent> events, boolean batch) {}

  private CloudEventRequests() {}

  /**
   * @throws ApiException 415 for a body in another media type
   * @throws InvalidInputException naming each attribute that is wrong (in a batch, {@code [2].id})
   */
  static Incoming read(Context ctx) {
    String type = BodyTypes.mediaType(ctx.contentType());
    if (BATCH.equals(type)) {
      return new Incoming(batch(Requests.jsonValue(ctx)), true);
    }
    if (STRUCTURED.equals(type)
        || (type == null || type.equals("application/json")) && !BinaryCloudEvents.isBinary(ctx)) {
      return new Incoming(List.of(StructuredCloudEvents.read(Requests.jsonObject(ctx), "")), false);
    }
    if (type != null && type.startsWith("application/cloudevents")) {
      throw BodyTypes.unsupported(ctx, type, ACCEPTED);
    }
    if (BinaryCloudEvents.isBinary(ctx)) {
      return new Incoming(List.of(BinaryCloudEvents.read(ctx)), false);
    }
    throw BodyTypes.unsupported(ctx, type, ACCEPTED);
  }

  private static List<CloudEvent> batch(JsonNode body) {
    if (body == null || !body.isArray()) {
      throw new InvalidInputException("body", "a batch is a JSON array of CloudEvents");
    }
    if (body.size() > MAX_BATCH) {
      throw new InvalidInputException(
          "body", "a batch holds at most " + MAX_BATCH + " events, this one " + body.size());
    }
    List<CloudEvent> events = new ArrayList<>(body.size());
    List<dev.runledger.model.FieldError> errors = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      try {
        events.add(StructuredCloudEvents.read(body.get(i), "[" + i + "]."));
      } catch (InvalidInputException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException("invalid CloudEvents in the batch", errors);
    }
    return events;
  }
}
