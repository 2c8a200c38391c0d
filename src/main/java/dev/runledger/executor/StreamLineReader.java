package dev.runledger.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a process's output stream and hands it on line by line with secrets masked. A line ends at
 * a newline, a carriage return or both ({@code \r\n}), so that text after a carriage return cannot
 * pose as a line of its own inside another. An over-long line is passed on in pieces of {@link
 * #MAX_LINE_CHARS}, masked before it is split: a secret across a split is masked whole.
 */
final class StreamLineReader implements Runnable {
  static final int MAX_LINE_CHARS = 16 * 1024;

  private final InputStream stream;
  private final Templates masker;
  private final Consumer<String> lines;

  /** Read, not yet masked. */
  private final StringBuilder raw = new StringBuilder();

  /** Masked, not yet passed on. */
  private final StringBuilder masked = new StringBuilder();

  /** Whether a piece of the current line was passed on already. */
  private boolean linePassedOn;

  /** The length of {@link #raw} at which its settled start is masked. */
  private int settleAt = 2 * MAX_LINE_CHARS;

  StreamLineReader(InputStream stream, Templates masker, Consumer<String> lines) {
    this.stream = stream;
    this.masker = masker;
    this.lines = lines;
  }

  @Override
  public void run() {
    char[] buffer = new char[8192];
    boolean afterCarriageReturn = false;
    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      int n;
      while ((n = reader.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          if (c == '\n' && afterCarriageReturn) {
            afterCarriageReturn = false;
            continue;
          }
          afterCarriageReturn = c == '\r';
          if (c == '\n' || c == '\r') {
            endLine();
          } else {
            raw.append(c);
            if (raw.length() >= settleAt) {
              settle();
            }
          }
        }
      }
    } catch (IOException e) {
      // The stream was closed under us (the process was killed); what was read is passed on.
    }
    if (raw.length() > 0 || masked.length() > 0) {
      endLine();
    }
  }

  /** Masks the start of a long line that no secret going on past it can change. */
  private void settle() {
    int consumed = masker.maskLeading(raw.toString(), masked);
    raw.delete(0, consumed);
    while (masked.length() >= MAX_LINE_CHARS) {
      passOn(pieceEnd());
    }
    // A secret longer than what is held keeps it all until more arrives.
    settleAt = raw.length() + MAX_LINE_CHARS;
  }

  private void endLine() {
    masked.append(masker.mask(raw.toString()));
    raw.setLength(0);
    if (masked.length() == 0 && !linePassedOn) {
      lines.accept("");
    }
    while (masked.length() > 0) {
      passOn(pieceEnd());
    }
    linePassedOn = false;
    settleAt = 2 * MAX_LINE_CHARS;
  }

  /** Where a full piece ends: not between the two halves of a surrogate pair. */
  private int pieceEnd() {
    int end = Math.min(MAX_LINE_CHARS, masked.length());
    return end < masked.length() && Character.isHighSurrogate(masked.charAt(end - 1))
        ? end - 1
        : end;
  }

  private void passOn(int end) {
    String piece = masked.substring(0, end);
    masked.delete(0, end);
    linePassedOn = true;
    lines.accept(piece);
  }
}
