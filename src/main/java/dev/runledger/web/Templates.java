package dev.runledger.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/** The precompiled JTE templates (src/main/jte): each takes one typed page record. */
final class Templates {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  /** Renders {@code template} with {@code page} as the answer, with {@code status}. */
  void render(Context ctx, int status, String template, Object page) {
    ctx.status(status).contentType("text/html; charset=utf-8").result(html(template, page));
  }

  void render(Context ctx, String template, Object page) {
    render(ctx, 200, template, page);
  }

  /** Renders {@code template} to a string (a fragment sent over a live stream, say). */
  String html(String template, Object page) {
    StringOutput out = new StringOutput();
    engine.render(template, page, out);
    return out.toString();
  }
}
