package dev.runledger.model;

/** A job this node leased, with its task and run as they were at the claim. */
public record ClaimedAttempt(Job job, Task task, Run run) {
  public int attempt() {
    return job.attempt();
  }
}
