package dev.runledger.model;

import java.time.Instant;

/**
 * A node serving the store, as it last said: its incarnation's id (the lease owner prefix its
 * attempts carry), its name ({@code --node-name}), version, when it started and was last seen, its
 * worker slots and the attempts it was running.
 */
public record NodeRecord(
    String id,
    String name,
    String version,
    Instant startedAt,
    Instant lastSeen,
    int slots,
    int running) {}
