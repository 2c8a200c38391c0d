package dev.runledger.model;

/** A task of a run, named by its run's id and its name (the link from a replay to its original). */
public record TaskRef(String runId, String taskName) {}
