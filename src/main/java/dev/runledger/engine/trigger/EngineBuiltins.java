package dev.runledger.engine.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runledger.executor.ActionExecutor;
import dev.runledger.executor.AttemptContext;
import dev.runledger.executor.AttemptResult;
import dev.runledger.executor.BuiltinExecutor;
import dev.runledger.executor.TemplateException;
import dev.runledger.model.Failure;
import dev.runledger.model.InvalidInputException;
import dev.runledger.model.Json;
import dev.runledger.model.Timestamps;
import java.util.Map;

/**
 * The built-in actions: {@code emit} is carried out here, because it posts an event through the
 * engine ({@link EventService}, the path of {@code POST /api/events}); the others go to {@link
 * BuiltinExecutor}, which never touches the store.
 *
 * <p>The emitted event's source is the run and its id the task's idempotency key, so a repeated
 * attempt of the same task (a lost worker, a retry) finds the event it posted before and starts
 * nothing new. The task's outputs are {@code {eventId, runs}}.
 */
public final class EngineBuiltins implements ActionExecutor {
  private final BuiltinExecutor others;
  private final EventService events;

  public EngineBuiltins(BuiltinExecutor others, EventService events) {
    this.others = others;
    this.events = events;
  }

  @Override
  public String kind() {
    return others.kind();
  }

  @Override
  public AttemptResult execute(AttemptContext context) throws InterruptedException {
    JsonNode spec = context.spec();
    if (spec == null || !spec.isObject() || spec.size() != 1 || !spec.has("emit")) {
      return others.execute(context);
    }
    try {
      return emit(context, spec.get("emit"));
    } catch (TemplateException e) {
      return failed(
          Failure.deterministic(
              context.templates().mask(e.getMessage()), "fix the expression in the emit section"));
    } catch (InvalidInputException e) {
      return failed(
          Failure.deterministic(
              context.templates().mask("emit: " + e.getMessage()),
              "emit needs a type, e.g. emit: {type: report.ready, data: {...}}"));
    }
  }

  private AttemptResult emit(AttemptContext context, JsonNode args) {
    // Masked before it leaves the attempt: the event is stored and shown as the trigger of every
    // run it starts, to whoever may read those runs.
    JsonNode rendered =
        args == null
            ? Json.object()
            : context.templates().mask(context.templates().render(args, Map.of()));
    String type = rendered.path("type").asText(null);
    String subject = rendered.hasNonNull("subject") ? rendered.get("subject").asText() : null;
    JsonNode data = rendered.hasNonNull("data") ? rendered.get("data") : Json.object();
    CloudEvent event =
        new CloudEvent(
            context.idempotencyKey(),
            "runledger:/runs/" + context.runId(),
            type,
            subject,
            Timestamps.format(context.clock().instant()),
            data);
    EventService.Published published = events.emit(context.runId(), event);
    ObjectNode outputs = Json.object().put("eventId", published.eventId());
    ArrayNode runs = outputs.putArray("runs");
    published.runs().forEach(runs::add);
    context
        .log()
        .stdout(
            "emitted "
                + type
                + " as "
                + published.eventId()
                + (published.duplicate() ? " (posted by an earlier attempt)" : "")
                + "; runs started: "
                + published.runs().size());
    return new AttemptResult.Succeeded(outputs, false, null, null);
  }

  private static AttemptResult failed(Failure failure) {
    return new AttemptResult.Failed(failure, null, null, null);
  }
}
