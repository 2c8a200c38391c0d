package dev.runledger.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that choose runs by what started them, shared by {@code runs} and {@code report}:
 * {@code --workflow}, {@code --trigger} and the repeatable {@code --label}.
 */
final class RunSelection {
  @Option(names = "--workflow", paramLabel = "NAME", description = "Only runs of this workflow.")
  String workflow;

  @Option(
      names = "--trigger",
      paramLabel = "TYPE",
      description = "Only runs with this trigger type (manual, schedule, event, webhook, ...).")
  String trigger;

  @Option(
      names = "--label",
      paramLabel = "KEY:VALUE",
      description = "Only runs with this label; repeatable.")
  List<String> labels = new ArrayList<>();

  /** Adds the chosen filters to a query, labels as the API's {@code key:value}. */
  Query addTo(Query query) {
    return query
        .add("workflow", workflow)
        .add("trigger", trigger)
        .addAll("label", labelFilters(labels));
  }

  /** {@code --label} values as the API's {@code key:value}; {@code key=value} is accepted too. */
  static List<String> labelFilters(List<String> labels) {
    List<String> filters = new ArrayList<>();
    for (String label : labels) {
      filters.add(label.contains(":") ? label : label.replaceFirst("=", ":"));
    }
    return filters;
  }
}
