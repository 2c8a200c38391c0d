package dev.runledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runledger.model.AuditEvent;
import dev.runledger.model.Ids;
import dev.runledger.model.Job;
import dev.runledger.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Work inside a nested savepoint fails alone: its rows and its audit events go, the rest stays. */
class NestedSavepointTest {
  private static final Instant T0 = Instant.parse("2026-11-21T07:00:00Z");

  private static AuditEvent event(String type) {
    return new AuditEvent(
        Ids.event(), null, T0, "default", "test", type, null, null, "x", Json.object(), null, null);
  }

  private static Job job(String runId) {
    return Job.queued(Ids.job(), "default", runId, "task", T0, false);
  }

  @Test
  void a_failing_nested_unit_undoes_only_its_own_rows_and_audit_events() throws Exception {
    Path dir = Files.createTempDirectory("runledger-nested");
    try (Store store = new Store(Database.open(null, dir))) {
      store.writeAndWait(
          tx -> {
            tx.audit().append(event("kept.before"));
            tx.jobs().insertAll(List.of(job("run_kept")));
            assertThatThrownBy(
                    () ->
                        tx.inSavepoint(
                            () -> {
                              tx.audit().append(event("undone"));
                              tx.jobs().insertAll(List.of(job("run_undone")));
                              throw new IllegalStateException("boom");
                            }))
                .hasMessage("boom");
            tx.audit().append(event("kept.after"));
            return null;
          });
      List<String> types =
          store.read(
              tx ->
                  tx
                      .audit()
                      .list(new AuditFilter(null, null, null, null, null, null), null, 10)
                      .stream()
                      .map(e -> e.event().type())
                      .toList());
      assertThat(types).containsExactlyInAnyOrder("kept.before", "kept.after");
      boolean kept = store.read(tx -> tx.jobs().forTask("run_kept", "task").isPresent());
      boolean undone = store.read(tx -> tx.jobs().forTask("run_undone", "task").isPresent());
      assertThat(kept).isTrue();
      assertThat(undone).isFalse();
    }
  }
}
