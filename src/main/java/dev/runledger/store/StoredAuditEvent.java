package dev.runledger.store;

import dev.runledger.model.AuditEvent;

/** An audit event with its insertion position (the order the sealer chains in). */
public record StoredAuditEvent(long position, AuditEvent event) {}
