package dev.runledger.web;

import dev.runledger.api.ApiException;
import dev.runledger.api.TriggerRateLimiter;
import dev.runledger.engine.ConcurrentChangeException;
import dev.runledger.engine.NotFoundException;
import dev.runledger.engine.StateConflictException;
import dev.runledger.engine.governance.ApprovalService;
import dev.runledger.model.IllegalTransitionException;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Role;
import dev.runledger.store.ConflictException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the web UI's routes with the role each needs, as the API's route table does: a page
 * without a session redirects to the login, a principal without the role gets a 403 page, and a
 * POST without the session's CSRF token is refused with 403 before its handler runs. Errors render
 * as pages, never as a stack trace.
 */
final class PageRoutes {
  /** A page's handler, given the signed-in person. */
  interface Page {
    void handle(Context ctx, WebSession session) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(PageRoutes.class);
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final RoutesConfig routes;
  private final WebAuth auth;
  private final Templates templates;
  private final List<PageRoute> registered = new ArrayList<>();

  PageRoutes(RoutesConfig routes, WebAuth auth, Templates templates) {
    this.routes = routes;
    this.auth = auth;
    this.templates = templates;
  }

  /** A page anyone with a session and {@code role} may see. */
  void page(String path, Role role, Page handler) {
    routes.get(path, ctx -> guard(ctx, role, false, handler));
    registered.add(new PageRoute("GET", path, role));
  }

  /** A form post: a session with {@code role} and the session's CSRF token. */
  void action(String path, Role role, Page handler) {
    routes.post(path, ctx -> guard(ctx, role, true, handler));
    registered.add(new PageRoute("POST", path, role));
  }

  List<PageRoute> registered() {
    return List.copyOf(registered);
  }

  private void guard(Context ctx, Role role, boolean post, Page handler) {
    WebHeaders.apply(ctx);
    WebSession session = auth.session(ctx).orElse(null);
    try {
      if (session == null) {
        if (post) {
          error(ctx, null, 401, "Signed out", "your session ended; sign in again and retry");
        } else {
          ctx.redirect(
              "/login?next=" + Links.query(nextOf(ctx)), io.javalin.http.HttpStatus.SEE_OTHER);
        }
        return;
      }
      if (post && !WebAuth.csrfMatches(ctx, session)) {
        error(
            ctx,
            session,
            403,
            "Refused",
            "this form did not carry its page's CSRF token; reload the page and try again");
        return;
      }
      if (!session.can(role)) {
        error(
            ctx,
            session,
            403,
            "Not allowed",
            "this needs the role "
                + role.wire()
                + "; you are signed in as "
                + session.principal().role().wire());
        return;
      }
      handler.handle(ctx, session);
    } catch (NotFoundException e) {
      error(ctx, session, 404, "Not found", e.getMessage());
    } catch (InvalidInputException e) {
      error(ctx, session, 400, "Not valid", e.getMessage());
    } catch (StateConflictException
        | IllegalTransitionException
        | ConflictException
        | ConcurrentChangeException e) {
      error(ctx, session, 409, "Not possible now", e.getMessage());
    } catch (ApprovalService.NotAllowedException e) {
      error(ctx, session, 403, "Not allowed", e.getMessage());
    } catch (TriggerRateLimiter.RateLimitedException e) {
      ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
      error(
          ctx,
          session,
          429,
          "Too many triggers",
          "You started too many runs in the last minute. Try again in "
              + e.retryAfterSeconds()
              + " seconds.");
    } catch (ApiException e) {
      error(ctx, session, e.status(), e.title(), e.getMessage());
    } catch (Exception e) {
      LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
      error(
          ctx,
          session,
          500,
          "Something went wrong",
          "an unexpected error occurred; see the server log");
    }
  }

  private void error(Context ctx, WebSession session, int status, String title, String detail) {
    templates.render(
        ctx,
        status,
        "error.jte",
        new ErrorPage(
            session == null ? null : Chrome.of(session, title, "", "default"),
            status,
            title,
            detail));
  }

  /** Where to come back to after login: this page's path and query. */
  private static String nextOf(Context ctx) {
    String q = ctx.queryString();
    return ctx.path() + (q == null || q.isEmpty() ? "" : "?" + q);
  }

  /** The project a page shows ({@code ?project=}, default {@code default}). */
  static String project(Context ctx, WebSession session) {
    String project = ctx.queryParam("project");
    if (project == null || project.isEmpty()) {
      project = "default";
    }
    if (!PROJECT.matcher(project).matches()) {
      throw new InvalidInputException("project", "not a valid project name: " + project);
    }
    if (!session.principal().canSee(project)) {
      throw new NotFoundException("no project " + project);
    }
    return project;
  }
}
