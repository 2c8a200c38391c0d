package dev.runledger.web;

/** The Jobs page: the queue now, kept current over {@code liveHref}. */
public record JobsPage(Chrome chrome, JobsBoard board, String liveHref) {}
