package dev.runledger.api;

import dev.runledger.model.Role;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes with their required role, so that no route is left unauthorized, and keeps the
 * list (the OpenAPI test checks every registered route is documented).
 */
final class RouteTable {
  /** A registered route; {@code role} is null for public routes. */
  record Route(String method, String path, Role role) {}

  private final RoutesConfig routes;
  private final Auth auth;
  private final List<Route> registered = new ArrayList<>();

  RouteTable(RoutesConfig routes, Auth auth) {
    this.routes = routes;
    this.auth = auth;
  }

  void get(String path, Role role, Handler handler) {
    routes.get(path, guarded(role, handler));
    registered.add(new Route("GET", path, role));
  }

  void post(String path, Role role, Handler handler) {
    routes.post(path, guarded(role, handler));
    registered.add(new Route("POST", path, role));
  }

  void put(String path, Role role, Handler handler) {
    routes.put(path, guarded(role, handler));
    registered.add(new Route("PUT", path, role));
  }

  void delete(String path, Role role, Handler handler) {
    routes.delete(path, guarded(role, handler));
    registered.add(new Route("DELETE", path, role));
  }

  /** A route anyone may call (health, the OpenAPI document). */
  void publicGet(String path, Handler handler) {
    routes.get(path, handler);
    registered.add(new Route("GET", path, null));
  }

  /**
   * A route that authenticates by other means than a token (a webhook's secret in its path); the
   * handler does its own check.
   */
  void publicPost(String path, Handler handler) {
    routes.post(path, handler);
    registered.add(new Route("POST", path, null));
  }

  List<Route> registered() {
    return List.copyOf(registered);
  }

  private Handler guarded(Role role, Handler handler) {
    return ctx -> {
      auth.require(ctx, role);
      handler.handle(ctx);
    };
  }
}
