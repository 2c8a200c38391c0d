package dev.runledger.executor;

/** Receives an attempt's output line by line, and its progress. Implementations are thread-safe. */
public interface AttemptLog {
  void stdout(String line);

  void stderr(String line);

  /** Progress of the job, 0-100, with an optional message. */
  void progress(int percent, String message);
}
