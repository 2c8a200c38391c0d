package dev.runledger.web;

import java.util.List;

/** Lines of a task's log as the page shows them (also the fragment a live stream appends). */
public record TaskLines(List<Line> lines) {
  /** A numbered line of one stream, in styled segments (ANSI colours, never markup). */
  public record Line(long number, String stream, List<AnsiLine.Segment> segments) {}
}
