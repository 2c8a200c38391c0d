package dev.runledger.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.util.thread.ThreadPool;

/** The HTTP server: the route table in one place, errors mapped centrally to problem details. */
public final class ApiServer implements AutoCloseable {
  private final ApiContext api;
  private final ApiMetrics metrics;
  private Javalin app;
  private LogStreams logStreams;
  private final UiMount ui;
  private List<RouteTable.Route> routes = List.of();

  /**
   * Pages served beside the API on the same server (the web UI): given the routes, the log streams
   * and the trigger limiter the API uses, so that both share their limits.
   */
  public interface UiMount {
    void mount(JavalinConfig config, LogStreams streams, TriggerRateLimiter limiter);

    UiMount NONE = (config, streams, limiter) -> {};
  }

  public ApiServer(ApiContext api) {
    this(api, ApiMetrics.NONE, UiMount.NONE);
  }

  /** The web UI this server mounts (for tests that walk its routes). */
  public UiMount ui() {
    return ui;
  }

  public ApiServer(ApiContext api, ApiMetrics metrics, UiMount ui) {
    this.api = api;
    this.metrics = metrics;
    this.ui = ui;
  }

  /** Starts listening on {@code host:port} (port 0 picks a free one); returns the bound port. */
  public int start(String host, int port) {
    String openapi = resource("/openapi.yaml");
    logStreams = new LogStreams(api.logStreamsPerPrincipal());
    TriggerRateLimiter limiter =
        new TriggerRateLimiter(api.triggersPerMinute(), api.triggerRatesByRole());
    app =
        Javalin.create(
            config -> {
              config.http.maxRequestSize = api.maxBodyBytes();
              // a known path with another method is a 405 with Allow, not a 404
              config.http.prefer405over404 = true;
              Cors.configure(config, api.corsOrigins());
              config.startup.showJavalinBanner = false;
              config.jetty.modifyServer(
                  server -> server.setErrorHandler(new ProblemErrorHandler()));
              RouteTable table = new RouteTable(config.routes, new Auth(api.tokens()));
              Problems.register(config.routes, table);
              config.routes.before(
                  ctx -> {
                    AccessLog.begin();
                    ctx.attribute(STARTED, System.nanoTime());
                  });
              config.routes.after(this::measure);
              config.routes.exception(
                  TriggerRateLimiter.RateLimitedException.class,
                  (e, ctx) -> {
                    ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds));
                    Problems.write(ctx, 429, "Too Many Requests", e.getMessage(), null);
                  });
              new OpsRoutes(api, metrics).register(table);
              table.publicGet(
                  "/api/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
              new SchemaRoutes().register(table);
              new DefinitionRoutes(api).register(table);
              new TriggerRoutes(api, limiter).register(table);
              new EventRoutes(api, limiter).register(table);
              new RunRoutes(api).register(table);
              new TaskRoutes(api).register(table);
              new LogRoutes(api, logStreams).register(table);
              new AuditRoutes(api).register(table);
              new FileRoutes(api).register(table);
              new ReportRoutes(api).register(table);
              new AdminRoutes(api).register(table);
              new GovernanceRoutes(api, limiter).register(table);
              routes = table.registered();
              ui.mount(config, logStreams, limiter);
            });
    app.start(host, port);
    return app.port();
  }

  private static final String STARTED = "runledger.started";

  /** Reports an answered request by its route template, so that ids do not become labels. */
  private void measure(io.javalin.http.Context ctx) {
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    io.javalin.router.Endpoint matched = ctx.endpoints().lastHttpEndpoint();
    String route = matched == null ? "unmatched" : matched.path;
    java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - started);
    metrics.request(ctx.method().name(), route, ctx.statusCode(), took);
    AccessLog.answered(ctx, route, took);
  }

  /** The routes this server registered (for the OpenAPI completeness test). */
  public List<RouteTable.Route> routes() {
    return routes;
  }

  private static String resource(String name) {
    try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
      if (in == null) {
        return "openapi: 3.1.0\n";
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The most request threads the HTTP server runs at once (its thread pool's maximum). */
  public int requestThreads() {
    return app.jettyServer().server().getThreadPool() instanceof ThreadPool.SizedThreadPool pool
        ? pool.getMaxThreads()
        : Integer.MAX_VALUE;
  }

  /** How many log streams are open. */
  public int openLogStreams() {
    return logStreams == null ? 0 : logStreams.size();
  }

  @Override
  public void close() {
    if (logStreams != null) {
      // Ended first, so that stopping the server does not wait for them.
      logStreams.close();
    }
    if (app != null) {
      app.stop();
    }
  }
}
