package dev.runledger.api;

import dev.runledger.model.Role;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registers routes with their required role, so that no route is left unauthorized, and keeps the
 * list (the OpenAPI test checks every registered route is documented). Every GET also answers HEAD,
 * authorized the same way and running the same handler (the server sends no body), and every route
 * that takes a body names the media types it accepts: another one is a 415.
 */
final class RouteTable {
  /** A registered route; {@code role} is null for public routes. */
  record Route(String method, String path, Role role) {}

  private final RoutesConfig routes;
  private final Auth auth;
  private final List<Route> registered = new ArrayList<>();
  private final List<Pattern> patterns = new ArrayList<>();

  RouteTable(RoutesConfig routes, Auth auth) {
    this.routes = routes;
    this.auth = auth;
  }

  void get(String path, Role role, Handler handler) {
    Handler guarded = guarded(role, null, handler);
    routes.get(path, guarded);
    routes.head(path, guarded);
    add("GET", path, role);
  }

  /** A POST whose body, if any, is JSON. */
  void post(String path, Role role, Handler handler) {
    post(path, role, BodyTypes.JSON, handler);
  }

  void post(String path, Role role, BodyTypes accepts, Handler handler) {
    routes.post(path, guarded(role, accepts, handler));
    add("POST", path, role);
  }

  /** A PUT whose body is JSON. */
  void put(String path, Role role, Handler handler) {
    put(path, role, BodyTypes.JSON, handler);
  }

  void put(String path, Role role, BodyTypes accepts, Handler handler) {
    routes.put(path, guarded(role, accepts, handler));
    add("PUT", path, role);
  }

  void delete(String path, Role role, Handler handler) {
    routes.delete(path, guarded(role, null, handler));
    add("DELETE", path, role);
  }

  /** A route anyone may call (health, the OpenAPI document). */
  void publicGet(String path, Handler handler) {
    routes.get(path, handler);
    routes.head(path, handler);
    add("GET", path, null);
  }

  /**
   * A route that authenticates by other means than a token (a webhook's secret in its path); the
   * handler does its own check.
   */
  void publicPost(String path, BodyTypes accepts, Handler handler) {
    routes.post(
        path,
        ctx -> {
          accepts.check(ctx);
          handler.handle(ctx);
        });
    add("POST", path, null);
  }

  List<Route> registered() {
    return List.copyOf(registered);
  }

  /** The methods a request path takes, for {@code Allow} (HEAD wherever GET is). */
  List<String> methodsOf(String requestPath) {
    String path =
        requestPath.length() > 1 && requestPath.endsWith("/")
            ? requestPath.substring(0, requestPath.length() - 1)
            : requestPath;
    Set<String> methods = new LinkedHashSet<>();
    for (int i = 0; i < registered.size(); i++) {
      if (patterns.get(i).matcher(path).matches()) {
        String method = registered.get(i).method();
        methods.add(method);
        if (method.equals("GET")) {
          methods.add("HEAD");
        }
      }
    }
    return List.copyOf(methods);
  }

  private void add(String method, String path, Role role) {
    registered.add(new Route(method, path, role));
    patterns.add(pattern(path));
  }

  /** A route path as a pattern: each {@code {param}} matches one segment. */
  private static Pattern pattern(String path) {
    StringBuilder regex = new StringBuilder();
    for (String part : path.split("(?=\\{)|(?<=\\})")) {
      regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  private Handler guarded(Role role, BodyTypes accepts, Handler handler) {
    return ctx -> {
      auth.require(ctx, role);
      if (accepts != null) {
        accepts.check(ctx);
      }
      handler.handle(ctx);
    };
  }

  /** Whether the request is a HEAD (its handler may skip work whose only product is the body). */
  static boolean isHead(Context ctx) {
    return "HEAD".equals(ctx.method().name());
  }
}
