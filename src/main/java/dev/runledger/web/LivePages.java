package dev.runledger.web;

import dev.runledger.api.LogStreams;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Live parts of pages over server-sent events, on the API's stream pump (no request thread each). A
 * page's stream renders its fragments at most once a {@link #EVERY}; each fragment that changed
 * since the last one sent goes out as an event named after its slot, whose HTML the page's script
 * puts in the element with that {@code data-slot}. Once a snapshot says its subject ended, the
 * stream sends {@code end} (the page reloads to show what ended brings: other buttons, say).
 */
final class LivePages {
  static final long EVERY_NANOS = 1_000_000_000L;

  /**
   * What a page shows live at one moment: HTML by slot (sent when it changed), HTML to add to a
   * slot (sent when not empty: new log lines, say), and whether nothing more will change.
   */
  record Snapshot(Map<String, String> fragments, Map<String, String> appends, boolean ended) {
    Snapshot(Map<String, String> fragments, boolean ended) {
      this(fragments, Map.of(), ended);
    }
  }

  private final LogStreams streams;

  LivePages(LogStreams streams) {
    this.streams = streams;
  }

  void stream(Context ctx, WebSession session, Supplier<Snapshot> render) throws IOException {
    WebHeaders.apply(ctx);
    streams.start(ctx, "web:" + session.principal().name(), new Source(render));
  }

  /** An SSE event whose data is {@code html}, one {@code data:} line per line. */
  static String event(String name, String html) {
    StringBuilder b = new StringBuilder("event: ").append(name).append('\n');
    for (String line : html.split("\n", -1)) {
      b.append("data: ").append(line).append('\n');
    }
    return b.append('\n').toString();
  }

  private static final class Source implements LogStreams.Source {
    private final Supplier<Snapshot> render;
    private final Map<String, String> sent = new HashMap<>();
    private long last = System.nanoTime() - EVERY_NANOS;
    private volatile boolean ended;

    Source(Supplier<Snapshot> render) {
      this.render = render;
    }

    @Override
    public List<String> next(int maxBytes) {
      if (ended || System.nanoTime() - last < EVERY_NANOS) {
        return List.of();
      }
      last = System.nanoTime();
      Snapshot now = render.get();
      List<String> events = new ArrayList<>();
      now.fragments()
          .forEach(
              (slot, html) -> {
                if (!html.equals(sent.get(slot))) {
                  sent.put(slot, html);
                  events.add(event(slot, html));
                }
              });
      now.appends()
          .forEach(
              (slot, html) -> {
                if (!html.isBlank()) {
                  events.add(event(slot, html));
                }
              });
      // Ended only once the snapshot that shows the end was sent.
      ended = now.ended();
      return events;
    }

    @Override
    public boolean ended() {
      return ended;
    }

    @Override
    public String end() {
      return "event: end\ndata: \n\n";
    }
  }
}
