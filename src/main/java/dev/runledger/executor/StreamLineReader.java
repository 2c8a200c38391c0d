package dev.runledger.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Reads a process's output stream and hands it on line by line; over-long lines are split. */
final class StreamLineReader implements Runnable {
  static final int MAX_LINE_CHARS = 16 * 1024;

  private final InputStream stream;
  private final Consumer<String> lines;

  StreamLineReader(InputStream stream, Consumer<String> lines) {
    this.stream = stream;
    this.lines = lines;
  }

  @Override
  public void run() {
    StringBuilder line = new StringBuilder();
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      int n;
      while ((n = reader.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          if (c == '\n') {
            emit(line);
          } else {
            line.append(c);
            if (line.length() >= MAX_LINE_CHARS) {
              emit(line);
            }
          }
        }
      }
    } catch (IOException e) {
      // The stream was closed under us (the process was killed); what was read is passed on.
    }
    if (line.length() > 0) {
      emit(line);
    }
  }

  private void emit(StringBuilder line) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    String text = line.substring(0, end);
    line.setLength(0);
    lines.accept(text);
  }
}
