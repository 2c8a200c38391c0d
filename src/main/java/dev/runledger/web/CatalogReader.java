package dev.runledger.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.api.ApiContext;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.trigger.Scheduler;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.DefinitionYaml;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Run;
import dev.runledger.model.WorkflowDefinition;
import dev.runledger.store.RunFilter;
import dev.runledger.store.RunRepository.RunSort;
import dev.runledger.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads what the catalog's pages show of definitions, their revisions and their last runs. */
final class CatalogReader {
  static final int PAGE = 50;
  static final int REVISIONS = 100;
  private static final int DESCRIPTION = 160;

  private final ApiContext api;

  CatalogReader(ApiContext api) {
    this.api = api;
  }

  /** One page of a kind's definitions, by name after {@code cursor}. */
  CatalogPage list(Chrome chrome, String kind, String cursor) {
    String project = chrome.project();
    Instant now = api.clock().instant();
    record Read(DefinitionRevision d, Run last) {}
    List<Read> read =
        api.store()
            .read(
                tx -> {
                  List<Read> out = new ArrayList<>();
                  for (DefinitionRevision d :
                      tx.definitions().listLatest(project, kind, cursor, PAGE + 1)) {
                    out.add(new Read(d, lastRun(tx, project, kind, d.name())));
                  }
                  return out;
                });
    List<CatalogPage.Row> rows = new ArrayList<>();
    for (Read r : read.subList(0, Math.min(PAGE, read.size()))) {
      DefinitionRevision d = r.d();
      Run last = r.last();
      Instant lastAt = last == null ? null : last.createdAt();
      rows.add(
          new CatalogPage.Row(
              d.name(),
              href(kind, d.name(), project),
              brief(d.definition().path("description").asText("")),
              d.revision(),
              d.definitionHash(),
              shortHash(d.definitionHash()),
              type(d),
              triggers(d, now),
              last == null ? null : last.status().wire(),
              last == null ? null : Links.run(last.id()) + chrome.projectQuery(),
              Formats.relative(lastAt, now),
              Formats.absolute(lastAt),
              Formats.iso(lastAt),
              d.archivedAt() != null));
    }
    String next =
        read.size() > PAGE
            ? "/"
                + kind
                + "s?"
                + (chrome.projectQuery().isEmpty() ? "" : chrome.projectQuery().substring(1) + "&")
                + "cursor="
                + Links.query(read.get(PAGE - 1).d().name())
            : null;
    return new CatalogPage(chrome, kind, rows, next);
  }

  /** The definition as the page shows it: a revision of it, its revisions and a diff. */
  DefinitionPage page(
      Chrome chrome,
      String kind,
      String name,
      Integer revision,
      Integer from,
      Integer to,
      RunForm form) {
    String project = chrome.project();
    List<DefinitionRevision> revisions =
        api.store()
            .read(
                tx ->
                    tx.definitions().revisions(project, kind, name, Integer.MAX_VALUE, REVISIONS));
    if (revisions.isEmpty()) {
      throw new NotFoundException("no " + kind + " named " + name);
    }
    DefinitionRevision latest = revisions.get(0);
    DefinitionRevision shown = revision == null ? latest : find(project, kind, name, revision);
    String self = href(kind, name, project);
    List<DefinitionPage.Revision> listed = new ArrayList<>();
    for (DefinitionRevision r : revisions) {
      listed.add(revision(r, self));
    }
    RevisionDiff diff = null;
    if (from != null && to != null) {
      diff =
          RevisionDiff.of(
              from,
              DefinitionYaml.of(find(project, kind, name, from).definition()),
              to,
              DefinitionYaml.of(find(project, kind, name, to).definition()));
    }
    int defaultFrom = from != null ? from : Math.max(1, latest.revision() - 1);
    int defaultTo = to != null ? to : latest.revision();
    String why = whyNoForm(chrome, latest);
    if (why == null && shown.revision() != latest.revision()) {
      why =
          "Runs start the latest revision ("
              + latest.revision()
              + "); this is revision "
              + shown.revision()
              + ".";
    }
    RunForm shownForm =
        why != null
            ? null
            : form != null
                ? form
                : RunForm.fresh(runHref(kind, name, chrome), latest.definition().get("inputs"));
    Instant now = api.clock().instant();
    return new DefinitionPage(
        chrome,
        kind,
        name,
        "/" + kind + "s" + chrome.projectQuery(),
        self,
        revision(shown, self),
        latest.revision(),
        shown.definition().path("description").asText(""),
        type(shown),
        inputs(shown.definition().get("inputs")),
        triggers(shown, now),
        DefinitionYaml.of(shown.definition()),
        listed,
        defaultFrom,
        defaultTo,
        diff,
        shownForm,
        why);
  }

  /** Where a definition's Run form posts. */
  static String runHref(String kind, String name, Chrome chrome) {
    return "/" + kind + "s/" + Links.segment(name) + "/run" + chrome.projectQuery();
  }

  /** The latest revision that can be run, for the Run form's schema and its trigger. */
  DefinitionRevision runnable(String project, String kind, String name) {
    return api.definitions()
        .latestActive(project, kind, name)
        .orElseThrow(() -> new NotFoundException("no " + kind + " named " + name));
  }

  /**
   * Whether a Run form is shown for the latest revision: it is not archived, a workflow allows
   * manual runs and the person may operate. Returns why not, or null.
   */
  private String whyNoForm(Chrome chrome, DefinitionRevision latest) {
    if (latest.archivedAt() != null) {
      return "This " + latest.kind() + " is archived; save it again to run it.";
    }
    if (latest.kind().equals("workflow") && !workflow(latest).manual()) {
      return "This workflow starts only from its schedules and events (on.manual is false).";
    }
    if (!chrome.canOperate()) {
      return "Starting a run needs the operator role; you are signed in as " + chrome.role() + ".";
    }
    return null;
  }

  private DefinitionRevision find(String project, String kind, String name, int revision) {
    return api.store()
        .read(tx -> tx.definitions().revision(project, kind, name, revision))
        .orElseThrow(() -> new NotFoundException("no " + kind + " " + name + "@" + revision));
  }

  private static DefinitionPage.Revision revision(DefinitionRevision r, String self) {
    return new DefinitionPage.Revision(
        r.revision(),
        self + (self.contains("?") ? "&" : "?") + "revision=" + r.revision(),
        r.definitionHash(),
        shortHash(r.definitionHash()),
        Formats.absolute(r.createdAt()),
        Formats.absolute(r.createdAt()),
        Formats.iso(r.createdAt()),
        r.createdBy(),
        r.archivedAt() != null);
  }

  /** The properties of an inputs schema, for the table of inputs. */
  private static List<DefinitionPage.Input> inputs(JsonNode schema) {
    List<DefinitionPage.Input> out = new ArrayList<>();
    if (schema == null || !schema.path("properties").isObject()) {
      return out;
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode s = p.getValue();
      String type = RunForm.type(s);
      if (s.path("enum").isArray()) {
        List<String> values = new ArrayList<>();
        s.get("enum").forEach(v -> values.add(RunForm.text(v)));
        type = "one of " + String.join(", ", values);
      }
      out.add(
          new DefinitionPage.Input(
              p.getKey(),
              type.isEmpty() ? "any" : type,
              required.contains(p.getKey()),
              s.has("default") ? RunForm.text(s.get("default")) : null,
              s.path("description").asText(null)));
    }
    return out;
  }

  /** How a definition starts: by hand, on its schedules (with their next fire), on events. */
  private List<CatalogTrigger> triggers(DefinitionRevision d, Instant now) {
    List<CatalogTrigger> out = new ArrayList<>();
    if (!d.kind().equals("workflow")) {
      out.add(CatalogTrigger.manual());
      return out;
    }
    WorkflowDefinition w = workflow(d);
    if (w.manual()) {
      out.add(CatalogTrigger.manual());
    }
    for (Scheduler.Upcoming s : Scheduler.upcoming(w, now)) {
      out.add(
          new CatalogTrigger(
              "schedule",
              s.cron() + (s.timezone().equals("UTC") ? " UTC" : " " + s.timezone()),
              s.next() == null ? "never again" : "next " + Formats.relative(s.next(), now),
              Formats.absolute(s.next()),
              Formats.iso(s.next())));
    }
    JsonNode events = w.on() == null ? null : w.on().get("events");
    if (events != null) {
      for (JsonNode e : events) {
        out.add(new CatalogTrigger("event", e.path("type").asText(), null, null, null));
      }
    }
    return out;
  }

  private WorkflowDefinition workflow(DefinitionRevision d) {
    return api.definitions().workflow(d);
  }

  /** An action's kind (command, http, builtin); null for a workflow. */
  private String type(DefinitionRevision d) {
    if (!d.kind().equals("action")) {
      return null;
    }
    try {
      return api.definitions().layer().action(d.definition(), d.project()).kind();
    } catch (InvalidInputException e) {
      return null;
    }
  }

  private static Run lastRun(Tx tx, String project, String kind, String name) {
    RunFilter filter =
        new RunFilter(
            project,
            List.of(),
            kind.equals("workflow") ? name : null,
            kind.equals("action") ? name : null,
            null,
            null,
            null,
            null,
            null,
            Map.of());
    List<Run> runs = tx.runs().list(filter, RunSort.CREATED_AT, null, 1);
    return runs.isEmpty() ? null : runs.get(0);
  }

  static String href(String kind, String name, String project) {
    return "/" + kind + "s/" + Links.segment(name) + Links.projectQuery(project);
  }

  static String shortHash(String hash) {
    String hex = hash.startsWith("sha256:") ? hash.substring(7) : hash;
    return hex.substring(0, Math.min(12, hex.length()));
  }

  private static String brief(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= DESCRIPTION ? flat : flat.substring(0, DESCRIPTION - 1) + "…";
  }
}
