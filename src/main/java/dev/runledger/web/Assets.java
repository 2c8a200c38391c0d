package dev.runledger.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The files pages load, served by the server itself (an installation may have no internet): the
 * stylesheet and script of the UI and htmx from its Maven package. Each is read once at start.
 */
final class Assets {
  static final String HTMX_VERSION = "2.0.10";

  private static final Map<String, String[]> FILES =
      Map.of(
          "runledger.css", new String[] {"/web/assets/runledger.css", "text/css; charset=utf-8"},
          "runledger.js",
              new String[] {"/web/assets/runledger.js", "text/javascript; charset=utf-8"},
          "htmx.min.js",
              new String[] {
                "/META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js",
                "text/javascript; charset=utf-8"
              });

  private final Map<String, byte[]> bytes;

  Assets() {
    java.util.HashMap<String, byte[]> read = new java.util.HashMap<>();
    FILES.forEach((name, file) -> read.put(name, read(file[0])));
    bytes = Map.copyOf(read);
  }

  void register(RoutesConfig routes) {
    routes.get("/assets/{name}", this::serve);
  }

  private void serve(Context ctx) {
    String name = ctx.pathParam("name");
    byte[] body = bytes.get(name);
    if (body == null) {
      ctx.status(404).contentType("text/plain").result("no asset " + name);
      return;
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.contentType(FILES.get(name)[1]).result(body);
  }

  private static byte[] read(String resource) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
