package dev.runledger.cli;

import java.util.function.Consumer;

/**
 * Reads a {@code text/event-stream} line by line and hands each complete event (its type and its
 * data lines joined by newlines) to a handler; the handler returns {@code false} to stop reading.
 */
final class ServerSentEvents implements Consumer<String> {

  /** An event handler: returns whether to keep reading. */
  interface Handler {
    boolean onEvent(String type, String data);
  }

  /** Thrown out of {@link #accept} to end the stream early. */
  static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  private final Handler handler;
  private String type;
  private StringBuilder data;

  ServerSentEvents(Handler handler) {
    this.handler = handler;
  }

  @Override
  public void accept(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return; // a comment, such as a keep-alive
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("event")) {
      type = value;
    } else if (field.equals("data")) {
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    }
  }

  /** Dispatches an event the stream ended without a blank line after. */
  void flush() {
    try {
      dispatch();
    } catch (Stop ignored) {
      // already at the end
    }
  }

  private void dispatch() {
    String eventType = type;
    StringBuilder eventData = data;
    type = null;
    data = null;
    if (eventData == null && eventType == null) {
      return;
    }
    if (!handler.onEvent(eventType, eventData == null ? "" : eventData.toString())) {
      throw new Stop();
    }
  }
}
