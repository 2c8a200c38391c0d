package dev.runledger.web;

import java.util.List;

/**
 * The queue as the Jobs page shows it (and its live stream sends again): the running jobs, the
 * queued ones, and whether there are more than shown.
 *
 * @param oldestWait how long the longest-waiting queued job has waited, or null when none waits
 */
public record JobsBoard(
    List<JobRow> running,
    boolean moreRunning,
    List<JobRow> queued,
    boolean moreQueued,
    String oldestWait,
    String projectQuery) {

  public boolean empty() {
    return running.isEmpty() && queued.isEmpty();
  }
}
