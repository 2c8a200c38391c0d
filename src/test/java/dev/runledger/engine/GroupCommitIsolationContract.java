package dev.runledger.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runledger.audit.AuditLog;
import dev.runledger.store.AuditFilter;
import dev.runledger.store.Store;
import dev.runledger.testing.StoreKind;
import dev.runledger.testing.TestServer;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine relies on from group commit: a unit of work that throws undoes only itself, its
 * caller gets its own exception, and the units committed in the same batch are kept.
 */
abstract class GroupCommitIsolationContract {
  private TestServer server;

  abstract StoreKind store();

  @BeforeEach
  void start() {
    server = TestServer.start(store());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_unit_that_throws_fails_alone_and_the_units_batched_with_it_are_committed()
      throws Exception {
    Store store = server.node().store();
    AuditLog audit = new AuditLog(Clock.systemUTC(), () -> {});
    // Hold the writer so that the next two units queue up and are committed in one batch.
    CompletableFuture<Object> holder =
        store.write(
            tx -> {
              sleep(300);
              return null;
            });
    CompletableFuture<Object> failing =
        store.write(
            tx -> {
              throw new StateConflictException("refused on purpose");
            });
    CompletableFuture<Boolean> kept =
        store.write(
            tx -> {
              audit.event("test.kept", "tester").project("default").append(tx);
              return true;
            });
    holder.get(10, TimeUnit.SECONDS);
    assertThat(kept.get(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StateConflictException.class);
    java.util.List<dev.runledger.store.StoredAuditEvent> keptEvents =
        store.read(
            tx ->
                tx.audit()
                    .list(new AuditFilter(null, null, null, null, "test.kept", null), null, 10));
    assertThat(keptEvents).hasSize(1);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
