package dev.runledger.engine.queue;

import dev.runledger.executor.AttemptLog;
import dev.runledger.store.LogLine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Collects an attempt's output lines with their timestamps (secrets masked) until the flusher
 * writes them; stops keeping lines past a cap and says so with a visible marker.
 */
final class BufferedAttemptLog implements AttemptLog {
  static final int MAX_LINES = 20_000;
  static final long MAX_BYTES = 8L * 1024 * 1024;
  static final int MAX_LINE_LENGTH = 16 * 1024;

  private final String runId;
  private final String taskName;
  private final int attempt;
  private final Clock clock;
  private final UnaryOperator<String> mask;
  private List<LogLine> pending = new ArrayList<>();
  private int lines;
  private long bytes;
  private boolean truncated;
  private Integer progressPercent;
  private String progressMessage;
  private boolean progressChanged;

  BufferedAttemptLog(
      String runId, String taskName, int attempt, Clock clock, UnaryOperator<String> mask) {
    this.runId = runId;
    this.taskName = taskName;
    this.attempt = attempt;
    this.clock = clock;
    this.mask = mask;
  }

  @Override
  public void stdout(String line) {
    add("stdout", line);
  }

  @Override
  public void stderr(String line) {
    add("stderr", line);
  }

  /** A line from the engine itself (for example why an attempt ended). */
  void system(String line) {
    add("system", line);
  }

  @Override
  public synchronized void progress(int percent, String message) {
    progressPercent = Math.max(0, Math.min(100, percent));
    progressMessage = message == null ? null : mask.apply(message);
    progressChanged = true;
  }

  private synchronized void add(String stream, String line) {
    if (truncated) {
      return;
    }
    // Masked before it is cut: a secret across the cut would otherwise show its first part.
    String masked = mask.apply(line);
    String text =
        masked.length() > MAX_LINE_LENGTH
            ? masked.substring(0, MAX_LINE_LENGTH) + " [line cut]"
            : masked;
    if (lines >= MAX_LINES || bytes + text.length() > MAX_BYTES) {
      truncated = true;
      pending.add(
          new LogLine(
              0,
              runId,
              taskName,
              attempt,
              clock.instant(),
              "system",
              "[runledger] output truncated after " + lines + " lines (" + bytes + " bytes)",
              lines + 1));
      return;
    }
    lines++;
    bytes += text.length() + 1;
    pending.add(new LogLine(0, runId, taskName, attempt, clock.instant(), stream, text, lines));
  }

  /** Takes the lines not yet written. */
  synchronized List<LogLine> drain() {
    if (pending.isEmpty()) {
      return List.of();
    }
    List<LogLine> out = pending;
    pending = new ArrayList<>();
    return out;
  }

  /** The latest progress if it changed since the last call, else null. */
  synchronized Object[] drainProgress() {
    if (!progressChanged) {
      return null;
    }
    progressChanged = false;
    return new Object[] {progressPercent, progressMessage};
  }
}
