package dev.runledger.store;

import dev.runledger.model.Task;

/** A task listed across runs, with what the listing shows of its run. */
public record TaskInRun(Task task, String workflow, String runAction, String triggeredBy) {}
