package dev.runledger.executor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams a command's stdout and stderr into the attempt's log, line by line with secrets masked,
 * each on a thread of its own; {@code ::progress N text} lines also report progress. Keeps the last
 * non-blank line of stderr, which names why a command failed.
 */
final class CommandOutputStreams {
  private static final Pattern PROGRESS = Pattern.compile("::progress\\s+(\\d{1,3})(?:\\s+(.*))?");

  private final AtomicReference<String> lastStderr = new AtomicReference<>();
  private final Thread stdout;
  private final Thread stderr;

  private CommandOutputStreams(Process process, Templates templates, AttemptLog log) {
    stdout =
        readerThread(
            "stdout-" + process.pid(),
            new StreamLineReader(
                process.getInputStream(), templates, line -> forward(line, log, false)));
    stderr =
        readerThread(
            "stderr-" + process.pid(),
            new StreamLineReader(
                process.getErrorStream(),
                templates,
                line -> {
                  if (!line.isBlank()) {
                    lastStderr.set(line);
                  }
                  forward(line, log, true);
                }));
  }

  /** Starts reading the process's output. */
  static CommandOutputStreams start(Process process, Templates templates, AttemptLog log) {
    return new CommandOutputStreams(process, templates, log);
  }

  /** The last non-blank line of stderr read so far, masked, or null. */
  String lastStderr() {
    return lastStderr.get();
  }

  /**
   * Waits for both streams to end, at most {@code killGrace} and a second: a daemonized grandchild
   * may hold a pipe open for ever.
   */
  void join(Duration killGrace) throws InterruptedException {
    long deadline = System.nanoTime() + killGrace.toNanos() + TimeUnit.SECONDS.toNanos(1);
    for (Thread reader : new Thread[] {stdout, stderr}) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left > 0) {
        reader.join(left);
      }
    }
  }

  /** Passes on a line the reader masked already. */
  private static void forward(String text, AttemptLog log, boolean isStderr) {
    if (isStderr) {
      log.stderr(text);
    } else {
      log.stdout(text);
    }
    Matcher m = PROGRESS.matcher(text);
    if (m.matches()) {
      int percent = Math.min(100, Integer.parseInt(m.group(1)));
      log.progress(percent, m.group(2) == null ? "" : m.group(2).strip());
    }
  }

  private static Thread readerThread(String name, Runnable reader) {
    Thread thread = new Thread(reader, "command-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
