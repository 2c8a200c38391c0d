package dev.runledger.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.api.ApiContext;
import dev.runledger.api.TriggerRateLimiter;
import dev.runledger.engine.run.TriggerRequest;
import dev.runledger.engine.run.TriggerResult;
import dev.runledger.model.DefinitionRevision;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Role;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;

/**
 * The catalog: {@code /actions} and {@code /workflows}, each definition's page with its revisions
 * and diffs, and its Run form, which starts a run as the API's trigger route does (same service,
 * same rate limit) and leads to the run.
 */
final class CatalogPages {
  private final ApiContext api;
  private final Templates templates;
  private final TriggerRateLimiter limiter;
  private final CatalogReader catalog;

  CatalogPages(ApiContext api, Templates templates, TriggerRateLimiter limiter) {
    this.api = api;
    this.templates = templates;
    this.limiter = limiter;
    this.catalog = new CatalogReader(api);
  }

  void register(PageRoutes pages) {
    for (String kind : List.of("action", "workflow")) {
      String base = "/" + kind + "s";
      pages.page(base, Role.VIEWER, (ctx, s) -> list(ctx, s, kind));
      pages.page(base + "/{name}", Role.VIEWER, (ctx, s) -> show(ctx, s, kind));
      pages.action(base + "/{name}/run", Role.OPERATOR, (ctx, s) -> run(ctx, s, kind));
    }
  }

  private void list(Context ctx, WebSession session, String kind) {
    Chrome chrome = chrome(ctx, session, kind, kind.equals("workflow") ? "Workflows" : "Actions");
    templates.render(ctx, "catalog.jte", catalog.list(chrome, kind, ctx.queryParam("cursor")));
  }

  private void show(Context ctx, WebSession session, String kind) {
    String name = ctx.pathParam("name");
    Chrome chrome = chrome(ctx, session, kind, name);
    templates.render(
        ctx,
        "definition.jte",
        catalog.page(
            chrome,
            kind,
            name,
            number(ctx, "revision"),
            number(ctx, "from"),
            number(ctx, "to"),
            null));
  }

  /** Starts a run from the form; refused parameters show the form again with each problem. */
  private void run(Context ctx, WebSession session, String kind) {
    String name = ctx.pathParam("name");
    Chrome chrome = chrome(ctx, session, kind, name);
    DefinitionRevision latest = catalog.runnable(chrome.project(), kind, name);
    JsonNode schema = latest.definition().get("inputs");
    RunFormInput input = RunFormInput.read(schema, ctx::formParam);
    try {
      if (!input.problems().isEmpty()) {
        // Nothing starts; the schema still says what else is wrong, so all shows at once.
        api.definitions().applyInputs(latest, input.parameters());
        throw new InvalidInputException("invalid parameters", List.of());
      }
      limiter.acquire(session.principal());
      TriggerRequest request =
          new TriggerRequest(
              chrome.project(), name, input.parameters(), null, session.principal(), "web", null);
      TriggerResult result =
          kind.equals("workflow")
              ? api.runs().triggerWorkflow(request)
              : api.runs().triggerAction(request);
      ctx.redirect(Links.run(result.run().id()) + chrome.projectQuery(), HttpStatus.SEE_OTHER);
    } catch (InvalidInputException e) {
      Map<String, String> byField = input.byField(e.errors(), schema);
      RunForm form =
          RunForm.of(
              CatalogReader.runHref(kind, name, chrome),
              schema,
              input.entered(),
              byField,
              RunFormInput.summary(e.errors(), byField, schema));
      templates.render(
          ctx, 400, "definition.jte", catalog.page(chrome, kind, name, null, null, null, form));
    }
  }

  private static Chrome chrome(Context ctx, WebSession session, String kind, String title) {
    return Chrome.of(session, title, kind + "s", PageRoutes.project(ctx, session));
  }

  private static Integer number(Context ctx, String param) {
    String text = ctx.queryParam(param);
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (!text.matches("\\d{1,9}")) {
      throw new InvalidInputException(param, param + " is a revision number: 1, 2, ...");
    }
    return Integer.parseInt(text);
  }
}
