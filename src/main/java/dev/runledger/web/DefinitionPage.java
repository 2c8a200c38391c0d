package dev.runledger.web;

import java.util.List;

/**
 * {@code /actions/{name}} or {@code /workflows/{name}}: one revision of a definition (the latest
 * unless {@code ?revision=N}), its revisions, a diff between two of them, and the Run form.
 *
 * @param diff the diff asked for with {@code ?from=&to=}, or null
 * @param runForm the Run form, or null when it is not shown (see {@code runNote})
 * @param runNote why there is no Run form, or null
 */
public record DefinitionPage(
    Chrome chrome,
    String kind,
    String name,
    String listHref,
    String selfHref,
    Revision shown,
    int latest,
    String description,
    String type,
    List<Input> inputs,
    List<CatalogTrigger> triggers,
    String yaml,
    List<Revision> revisions,
    int diffFrom,
    int diffTo,
    RevisionDiff diff,
    RunForm runForm,
    String runNote) {

  /** One revision as the list of revisions shows it. */
  public record Revision(
      int number,
      String href,
      String hash,
      String shortHash,
      String created,
      String createdAt,
      String createdIso,
      String createdBy,
      boolean archived) {}

  /** One property of the inputs schema. */
  public record Input(
      String name, String type, boolean required, String defaultValue, String description) {}

  /** The page's path without its query, for the forms that add their own. */
  public String selfPath() {
    int q = selfHref.indexOf('?');
    return q < 0 ? selfHref : selfHref.substring(0, q);
  }

  public boolean isLatest() {
    return shown.number() == latest;
  }

  public String kindTitle() {
    return kind.equals("workflow") ? "Workflow" : "Action";
  }
}
