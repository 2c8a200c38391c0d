package dev.runledger.api;

import dev.runledger.engine.RunLogContext;
import io.javalin.http.Context;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per answered HTTP request on the logger {@code dev.runledger.access}: method, route
 * template (never the path itself, which may hold a webhook's secret), status, duration and the
 * principal; never a token, a cookie or a query string.
 */
public final class AccessLog {
  /** The request attribute naming who made the request, set by the API's and the UI's checks. */
  public static final String PRINCIPAL = "runledger.principal.name";

  private static final Logger LOG = LoggerFactory.getLogger("dev.runledger.access");

  private AccessLog() {}

  /** Names {@code principal} as the request's author, on its access line and its log lines. */
  public static void identify(Context ctx, String principal) {
    ctx.attribute(PRINCIPAL, principal);
    MDC.put(RunLogContext.PRINCIPAL, principal);
  }

  /** Forgets what a previous request on this thread left in the logging context. */
  static void begin() {
    MDC.clear();
  }

  static void answered(Context ctx, String route, Duration took) {
    if (LOG.isInfoEnabled()) {
      String principal = ctx.attribute(PRINCIPAL);
      LOG.info(
          "{} {} {} {} ms {}",
          ctx.method().name(),
          route,
          ctx.statusCode(),
          took.toMillis(),
          principal == null ? "-" : principal);
    }
    MDC.clear();
  }
}
