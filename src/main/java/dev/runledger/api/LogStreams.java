package dev.runledger.api;

import io.javalin.http.Context;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open server-sent event streams of this node ({@code logs?follow=true}), served without a
 * request thread each: the request thread starts the stream and returns, and one pump thread visits
 * every open stream each {@link #POLL}, asks its {@link Source} what is new and writes it without
 * blocking (a client that does not read keeps its stream waiting, not the others). A keep-alive
 * comment every {@link #KEEP_ALIVE} makes a closed client fail a write, which ends its stream and
 * frees its slot. A principal holds at most {@code perPrincipal} streams at once.
 */
public final class LogStreams implements AutoCloseable {
  static final Duration POLL = Duration.ofMillis(200);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(2);

  /** How often an idle stream asks whether its attempt ended (it reads new lines every poll). */
  static final Duration END_CHECK = Duration.ofSeconds(1);

  static final Duration MAX_AGE = Duration.ofHours(6);

  /** A turn writes at most about this much, so a stream's unsent bytes stay small. */
  private static final int TURN_BYTES = 64 * 1024;

  private static final byte[] KEEP_ALIVE_COMMENT =
      ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
  private static final Logger LOG = LoggerFactory.getLogger(LogStreams.class);

  /** What a stream follows; called on the pump thread only. */
  public interface Source {
    /** The next events to send, each a complete {@code event:}/{@code data:} block. */
    List<String> next(int maxBytes);

    /** Whether nothing more will come (the attempt, its task or its run ended). */
    boolean ended();

    /** The closing {@code end} event. */
    String end();
  }

  private final int perPrincipal;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> held = new HashMap<>();
  private final ScheduledExecutorService pump =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "log-streams");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param perPrincipal how many streams one principal may hold open at once (0 = no limit)
   */
  LogStreams(int perPrincipal) {
    this.perPrincipal = perPrincipal;
    pump.scheduleWithFixedDelay(
        this::turn, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts streaming {@code source} as the answer to the request; returns at once.
   *
   * @throws ApiException 429 when {@code principal} already holds its limit of streams
   */
  public void start(Context ctx, String principal, Source source) throws IOException {
    if (pump.isShutdown()) {
      throw new ApiException(503, "Service Unavailable", "the server is stopping");
    }
    if (!reserve(principal)) {
      // A slot frees when a client closes its stream, noticed within a few keep-alives.
      ctx.header("Retry-After", String.valueOf(2 * KEEP_ALIVE.toSeconds()));
      throw new ApiException(
          429,
          "Too Many Requests",
          "at most "
              + perPrincipal
              + " log streams may be open at once per principal; close one and retry");
    }
    Stream stream;
    try {
      ctx.status(200);
      ctx.res().setContentType("text/event-stream");
      ctx.res().setCharacterEncoding("utf-8");
      ctx.res().setHeader("Cache-Control", "no-cache");
      ctx.res().setHeader("X-Accel-Buffering", "no");
      ctx.res().flushBuffer();
      AsyncContext async = ctx.req().startAsync();
      async.setTimeout(0);
      stream = new Stream(principal, source, ctx.res().getOutputStream());
      async.addListener(stream);
      stream.out.setWriteListener(stream);
    } catch (IOException | RuntimeException e) {
      release(principal);
      throw e;
    }
    open.add(stream);
    // Javalin completes the request when the stream's future does.
    ctx.future(() -> stream.done);
  }

  /** How many streams are open (for tests and metrics). */
  int size() {
    return open.size();
  }

  /** Takes one of the principal's slots; false when it holds them all. */
  private synchronized boolean reserve(String principal) {
    int n = held.getOrDefault(principal, 0);
    if (perPrincipal > 0 && n >= perPrincipal) {
      return false;
    }
    held.put(principal, n + 1);
    return true;
  }

  private synchronized void release(String principal) {
    held.computeIfPresent(principal, (k, n) -> n <= 1 ? null : n - 1);
  }

  private void turn() {
    for (Stream stream : open) {
      try {
        stream.turn();
        if (stream.closed || stream.finished()) {
          finish(stream);
        }
      } catch (IOException | RuntimeException e) {
        // A write failed (the client went away) or the store did not answer: the stream ends, the
        // others go on.
        LOG.debug("a log stream ended: {}", e.toString());
        finish(stream);
      }
    }
  }

  private void finish(Stream stream) {
    if (open.remove(stream)) {
      release(stream.principal);
      stream.done.complete(null);
    }
  }

  @Override
  public void close() {
    pump.shutdownNow();
    try {
      pump.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    open.forEach(this::finish);
  }

  /** One client's stream; its writes happen on the pump thread only. */
  private static final class Stream implements WriteListener, AsyncListener {
    final String principal;
    final Source source;
    final ServletOutputStream out;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final long deadline = System.nanoTime() + MAX_AGE.toNanos();
    volatile boolean closed;
    long lastWrite = System.nanoTime();
    long lastEndCheck = System.nanoTime() - END_CHECK.toNanos();
    boolean endSeen;
    boolean endSent;

    Stream(String principal, Source source, ServletOutputStream out) {
      this.principal = principal;
      this.source = source;
      this.out = out;
    }

    /** Whether the end event went out and nothing is left to send. */
    boolean finished() {
      return endSent && out.isReady();
    }

    void turn() throws IOException {
      if (closed || endSent || !out.isReady()) {
        return;
      }
      StringBuilder batch = new StringBuilder();
      List<String> events = source.next(TURN_BYTES);
      events.forEach(batch::append);
      if (events.isEmpty()) {
        if (endSeen || System.nanoTime() - deadline > 0) {
          batch.append(source.end());
          endSent = true;
        } else if (System.nanoTime() - lastEndCheck >= END_CHECK.toNanos()) {
          // Seen ended: the next turn reads the lines written with the outcome, then ends.
          lastEndCheck = System.nanoTime();
          endSeen = source.ended();
        }
      }
      if (batch.length() > 0) {
        write(batch.toString().getBytes(StandardCharsets.UTF_8));
      } else if (System.nanoTime() - lastWrite > KEEP_ALIVE.toNanos()) {
        write(KEEP_ALIVE_COMMENT);
      }
    }

    private void write(byte[] bytes) throws IOException {
      out.write(bytes);
      if (out.isReady()) {
        out.flush();
      }
      lastWrite = System.nanoTime();
    }

    @Override
    public void onWritePossible() {
      // The pump writes on its next turn.
    }

    @Override
    public void onError(Throwable t) {
      closed = true;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      closed = true;
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      closed = true;
    }

    @Override
    public void onError(AsyncEvent event) {
      closed = true;
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // nothing to do
    }
  }
}
