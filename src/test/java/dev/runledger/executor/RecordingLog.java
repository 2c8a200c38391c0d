package dev.runledger.executor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An attempt log that keeps what it is given, for assertions. */
final class RecordingLog implements AttemptLog {
  record Progress(int percent, String message) {}

  final List<String> stdout = new CopyOnWriteArrayList<>();
  final List<String> stderr = new CopyOnWriteArrayList<>();
  final List<Progress> progress = new CopyOnWriteArrayList<>();

  @Override
  public void stdout(String line) {
    stdout.add(line);
  }

  @Override
  public void stderr(String line) {
    stderr.add(line);
  }

  @Override
  public void progress(int percent, String message) {
    progress.add(new Progress(percent, message));
  }
}
