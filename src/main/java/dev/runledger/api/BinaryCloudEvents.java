package dev.runledger.api;

import dev.runledger.engine.trigger.CloudEvent;
import dev.runledger.model.FieldError;
import dev.runledger.model.InvalidInputException;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.message.impl.BaseGenericBinaryMessageReaderImpl;
import io.cloudevents.rw.CloudEventRWException;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A binary-mode event: its attributes in {@code ce-*} headers (percent-decoded, as the HTTP binding
 * says), {@code Content-Type} as its {@code datacontenttype}, the body as its data; read by the
 * CloudEvents SDK's binary message reader.
 */
final class BinaryCloudEvents extends BaseGenericBinaryMessageReaderImpl<String, String> {
  private static final String PREFIX = "ce-";

  private final Map<String, String> headers;

  private BinaryCloudEvents(Map<String, String> headers, byte[] body) {
    super(SpecVersion.V1, body.length == 0 ? null : BytesCloudEventData.wrap(body));
    this.headers = headers;
  }

  /** Whether the request carries an event in binary mode ({@code ce-specversion} is set). */
  static boolean isBinary(Context ctx) {
    return ctx.header(PREFIX + "specversion") != null;
  }

  /**
   * The event of a binary-mode request.
   *
   * @throws InvalidInputException naming every header that is wrong
   */
  static CloudEvent read(Context ctx) {
    Map<String, String> headers = new LinkedHashMap<>();
    ctx.headerMap().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
    List<FieldError> errors = new ArrayList<>();
    if (!CloudEvent.SPEC_VERSION.equals(headers.get(PREFIX + "specversion"))) {
      errors.add(new FieldError("ce-specversion", "only CloudEvents 1.0 is accepted"));
    }
    for (String attribute : List.of("id", "source", "type")) {
      String value = headers.get(PREFIX + attribute);
      if (value == null || value.isBlank()) {
        errors.add(new FieldError(PREFIX + attribute, PREFIX + attribute + " is required"));
      }
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!header.getKey().startsWith(PREFIX) || header.getKey().length() == PREFIX.length()) {
        continue;
      }
      String name = header.getKey().substring(PREFIX.length());
      if (!SdkCloudEvents.isAttributeName(name)) {
        errors.add(new FieldError(header.getKey(), SdkCloudEvents.nameRule(name)));
      } else if (SdkCloudEvents.CONTEXT_ATTRIBUTES.contains(name) && !header.getValue().isEmpty()) {
        String problem = StructuredCloudEvents.problem(name, decode(header.getValue()));
        if (problem != null) {
          errors.add(new FieldError(header.getKey(), problem));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException("invalid CloudEvent", errors);
    }
    io.cloudevents.CloudEvent event;
    try {
      event = new BinaryCloudEvents(headers, ctx.bodyAsBytes()).toEvent();
    } catch (CloudEventRWException | IllegalStateException e) {
      throw SdkCloudEvents.invalid("body", e);
    }
    return SdkCloudEvents.toEngine(event, "body");
  }

  @Override
  protected boolean isContentTypeHeader(String key) {
    return key.equals("content-type");
  }

  @Override
  protected boolean isCloudEventsHeader(String key) {
    return key.length() > PREFIX.length() && key.startsWith(PREFIX);
  }

  @Override
  protected String toCloudEventsKey(String key) {
    return key.substring(PREFIX.length());
  }

  @Override
  protected void forEachHeader(BiConsumer<String, String> fn) {
    headers.forEach(fn);
  }

  @Override
  protected String toCloudEventsValue(String value) {
    return decode(value);
  }

  /**
   * A header value percent-decoded as UTF-8 ({@code caf%C3%A9} is {@code café}); a {@code %} not
   * followed by two hex digits stays as it is.
   */
  static String decode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    int i = 0;
    while (i < value.length()) {
      int c = value.codePointAt(i);
      if (c == '%' && i + 2 < value.length()) {
        int high = hex(value.charAt(i + 1));
        int low = hex(value.charAt(i + 2));
        if (high >= 0 && low >= 0) {
          bytes.write(high * 16 + low);
          i += 3;
          continue;
        }
      }
      byte[] encoded = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
      bytes.write(encoded, 0, encoded.length);
      i += Character.charCount(c);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
