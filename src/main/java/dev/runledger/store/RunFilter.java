package dev.runledger.store;

import dev.runledger.model.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Filters of a run listing; null or empty means no filter.
 *
 * @param labels required labels, each key with its value
 */
public record RunFilter(
    String project,
    List<RunStatus> statuses,
    String workflow,
    String action,
    String triggeredBy,
    String triggerType,
    Instant since,
    Instant until,
    String review,
    Map<String, String> labels) {

  public static RunFilter project(String project) {
    return new RunFilter(project, List.of(), null, null, null, null, null, null, null, Map.of());
  }
}
