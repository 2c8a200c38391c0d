package dev.runledger.web;

import java.util.List;

/** The rows of a runs table (the fragment a live stream sends again). */
public record RunsRows(List<RunRow> rows) {}
