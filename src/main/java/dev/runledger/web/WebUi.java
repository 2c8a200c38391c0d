package dev.runledger.web;

import dev.runledger.api.ApiContext;
import dev.runledger.api.ApiServer;
import dev.runledger.api.LogStreams;
import dev.runledger.api.TriggerRateLimiter;
import dev.runledger.engine.access.WebSessionService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import java.util.List;

/**
 * The web UI, served by the API's server at {@code /}: server-rendered pages over the same services
 * as the API, signed in with a session cookie. One place lists every page.
 */
public final class WebUi implements ApiServer.UiMount {
  private final ApiContext api;
  private final WebSessionService sessions;
  private List<PageRoute> routes = List.of();

  public WebUi(ApiContext api, WebSessionService sessions) {
    this.api = api;
    this.sessions = sessions;
  }

  @Override
  public void mount(JavalinConfig config, LogStreams streams, TriggerRateLimiter limiter) {
    Templates templates = new Templates();
    WebAuth auth = new WebAuth(sessions);
    new Assets().register(config.routes);
    config.routes.get("/", ctx -> ctx.redirect("/runs", HttpStatus.SEE_OTHER));
    new LoginPages(auth, templates).register(config.routes);
    PageRoutes pages = new PageRoutes(config.routes, auth, templates);
    LivePages live = new LivePages(streams);
    new RunsPages(api, templates, live).register(pages);
    new RunPages(api, templates, live, limiter).register(pages);
    new TaskPages(api, templates, live).register(pages);
    new CatalogPages(api, templates, limiter).register(pages);
    new ApprovalsPages(api, templates).register(pages);
    new JobsPages(api, templates, live).register(pages);
    new AuditPages(api, templates).register(pages);
    new ReportsPages(api, templates).register(pages);
    routes = pages.registered();
  }

  /** Every page route with the role it needs (for the authorization test). */
  public List<PageRoute> routes() {
    return routes;
  }
}
