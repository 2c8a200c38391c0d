package dev.runledger.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.model.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (headers too large, a malformed request line, ...), answered before Javalin
 * sees the request, as problem details like every other error instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String title = HttpStatus.getMessage(code);
    ObjectNode body = Json.object();
    body.put("type", ProblemType.forStatus(code).uri());
    body.put("title", title);
    body.put("status", code);
    // Jetty's message names the limit or the parse problem; never the cause's stack
    body.put("detail", message == null || message.isBlank() ? title : message);
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
