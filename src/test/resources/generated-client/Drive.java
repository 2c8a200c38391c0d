package dev.runledger.client;

import dev.runledger.client.api.RunsApi;
import dev.runledger.client.api.TriggeringApi;
import dev.runledger.client.model.Run;
import dev.runledger.client.model.RunStatus;
import dev.runledger.client.model.Task;
import dev.runledger.client.model.TaskPage;
import dev.runledger.client.model.TriggerRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Compiled with the client GeneratedClientTest generates from the served document: drives the
 * API as an integrator would, with the generated types only. Trigger, wait for the run, list its
 * tasks, read one task with its evidence.
 */
public final class Drive implements BiFunction<String, String, List<String>> {
  private static final Set<RunStatus> TERMINAL =
      Set.of(
          RunStatus.COMPLETED,
          RunStatus.COMPLETED_WITH_FAILURES,
          RunStatus.FAILED,
          RunStatus.CANCELLED);

  @Override
  public List<String> apply(String baseUrl, String token) {
    URI base = URI.create(baseUrl);
    ApiClient client =
        new ApiClient()
            .setScheme(base.getScheme())
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));
    TriggeringApi triggering = new TriggeringApi(client);
    RunsApi runs = new RunsApi(client);
    try {
      Run run =
          triggering.triggerWorkflow(
              TriggeringApi.APITriggerWorkflowRequest.newBuilder()
                  .name("greet")
                  .idempotencyKey("generated-client-1")
                  .triggerRequest(
                      new TriggerRequest()
                          .parameters(Map.of("who", "a generated client"))
                          .labels(Map.of("via", "openapi-generator")))
                  .build());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!TERMINAL.contains(run.getStatus())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("run " + run.getId() + " still " + run.getStatus());
        }
        Thread.sleep(50);
        run = runs.getRun(RunsApi.APIGetRunRequest.newBuilder().id(run.getId()).build());
      }
      List<String> seen = new ArrayList<>();
      seen.add("run " + run.getStatus().getValue());
      seen.add("trigger " + run.getTrigger().getType().getValue());
      seen.add("review " + run.getReview().getStatus().getValue());
      seen.add("label via=" + run.getLabels().get("via"));
      TaskPage tasks =
          runs.listRunTasks(RunsApi.APIListRunTasksRequest.newBuilder().id(run.getId()).build());
      for (Task t : tasks.getItems()) {
        seen.add("task " + t.getName() + " " + t.getStatus().getValue());
      }
      Task say =
          runs.getRunTask(
              RunsApi.APIGetRunTaskRequest.newBuilder().id(run.getId()).taskName("say").build());
      seen.add("say argv " + String.join(" ", say.getEvidence().getCommand().subList(1, 3)));
      seen.add("say jvm " + (say.getEvidence().getRuntime().getJvm() != null));
      return seen;
    } catch (ApiException e) {
      throw new IllegalStateException(e.getCode() + " " + e.getResponseBody(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
