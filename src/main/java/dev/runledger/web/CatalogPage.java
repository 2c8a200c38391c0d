package dev.runledger.web;

import java.util.List;

/**
 * {@code /actions} or {@code /workflows}: one page of definitions by name, and the link to the
 * next.
 *
 * @param kind {@code action} or {@code workflow}
 */
public record CatalogPage(Chrome chrome, String kind, List<Row> rows, String nextHref) {

  /**
   * One definition: its latest revision, how it starts and its last run.
   *
   * @param type an action's kind ({@code command}, {@code http}, {@code builtin}); null for a
   *     workflow
   * @param lastStatus the status of its newest run, or null when it never ran
   */
  public record Row(
      String name,
      String href,
      String description,
      int revision,
      String hash,
      String shortHash,
      String type,
      List<CatalogTrigger> triggers,
      String lastStatus,
      String lastHref,
      String lastWhen,
      String lastAt,
      String lastIso,
      boolean archived) {}

  public boolean workflows() {
    return kind.equals("workflow");
  }

  public String title() {
    return workflows() ? "Workflows" : "Actions";
  }
}
