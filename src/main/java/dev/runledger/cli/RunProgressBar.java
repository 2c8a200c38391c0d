package dev.runledger.cli;

import java.io.PrintWriter;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of a watched run on a terminal: one line, tasks done of the run's tasks and the
 * steps under way, drawn by the progressbar library and redrawn in place; messages (log lines,
 * failures, finished steps) scroll above it.
 */
final class RunProgressBar implements AutoCloseable {
  private final BottomLine line;
  private final ProgressBar bar;
  private boolean closed;

  /** A bar counting in hundredths of a task, shown as whole tasks. */
  RunProgressBar(PrintWriter out, String runId, long hundredths, int width, boolean colour) {
    this.line = new BottomLine(out, width);
    this.bar =
        new ProgressBarBuilder()
            .setTaskName(runId)
            .setInitialMax(hundredths)
            .setUnit(" tasks", 100)
            .hideEta()
            .continuousUpdate()
            .setUpdateIntervalMillis(1000)
            .setStyle(
                colour ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.UNICODE_BLOCK)
            .setConsumer(line)
            .build();
  }

  /** Shows {@code done} of {@code total} hundredths of tasks and what is under way, at once. */
  void update(long done, long total, String underWay) {
    bar.maxHint(total);
    bar.stepTo(done);
    bar.setExtraMessage(underWay);
    bar.refresh();
  }

  /** Prints a line above the bar. */
  void println(String text) {
    line.printAbove(text);
  }

  /** Draws the bar a last time and leaves it in place, the cursor on the next line; once. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      bar.close();
    }
  }

  /**
   * Writes the rendered bar over the last line with a carriage return, padding what it shortens.
   */
  private static final class BottomLine implements ProgressBarConsumer {
    private static final Pattern ESCAPE = Pattern.compile("\u001b\\[[0-9;]*m");
    private final PrintWriter out;
    private final int width;
    private String shown = "";

    BottomLine(PrintWriter out, int width) {
      this.out = out;
      this.width = width;
    }

    @Override
    public int getMaxRenderedLength() {
      return width;
    }

    @Override
    public synchronized void accept(String rendered) {
      String text = rendered.replace("\r", "");
      int wider = visible(shown) - visible(text);
      out.print("\r" + text + (wider > 0 ? " ".repeat(wider) : ""));
      out.flush();
      shown = text;
    }

    synchronized void printAbove(String text) {
      out.print("\r" + " ".repeat(visible(shown)) + "\r");
      out.println(text);
      out.print(shown);
      out.flush();
    }

    @Override
    public synchronized void close() {
      out.println();
      out.flush();
    }

    private static int visible(String text) {
      String plain = ESCAPE.matcher(text).replaceAll("");
      return plain.codePointCount(0, plain.length());
    }
  }
}
