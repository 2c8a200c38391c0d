package dev.runledger.engine.queue;

import dev.runledger.model.NodeRecord;
import dev.runledger.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * Keeps this node's row in the store's node list current: written at start and on every beat with
 * its slots and running attempts, so every node (and {@code GET /api/nodes}) sees which nodes are
 * alive. Rows of nodes not seen for {@link #FORGET_AFTER} are removed on the way.
 */
public final class NodePresence {
  /** How often a node says it is alive. */
  public static final Duration BEAT = Duration.ofSeconds(5);

  /** A node not seen for this long is shown as not live. */
  public static final Duration LIVE_WITHIN = BEAT.multipliedBy(6);

  /** A node not seen for this long is forgotten. */
  public static final Duration FORGET_AFTER = Duration.ofDays(1);

  private final Store store;
  private final Clock clock;
  private final String id;
  private final String name;
  private final String version;
  private final int slots;
  private final IntSupplier running;
  private final Instant startedAt;

  public NodePresence(
      Store store,
      Clock clock,
      String id,
      String name,
      String version,
      int slots,
      IntSupplier running) {
    this.store = store;
    this.clock = clock;
    this.id = id;
    this.name = name;
    this.version = version;
    this.slots = slots;
    this.running = running;
    this.startedAt = clock.instant();
  }

  /** Records this node as alive now. */
  public void beat() {
    Instant now = clock.instant();
    NodeRecord self = new NodeRecord(id, name, version, startedAt, now, slots, running.getAsInt());
    store.writeAndWait(
        tx -> {
          tx.nodes().upsert(self);
          tx.nodes().forgetNotSeenSince(now.minus(FORGET_AFTER));
          return null;
        });
  }

  /** Whether a node last seen at {@code lastSeen} counts as alive at {@code now}. */
  public static boolean live(Instant lastSeen, Instant now) {
    return !lastSeen.isBefore(now.minus(LIVE_WITHIN));
  }
}
